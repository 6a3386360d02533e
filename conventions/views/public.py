"""Public pages: the PVD communes (list, one commune, map of départements) and open data.
Nothing personal and nothing but the programme's public facts: stages and dates."""

import csv

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_GET

from communes.models import Departement
from conventions.filters import CommunePVDFilter
from conventions.models import Dossier
from pvd import carte
from pvd.navigation import fil_ariane

COMMUNES_PVD = ("Communes Petites villes de demain", reverse_lazy("conventions:public_list"))
OPENDATA_COLUMNS = [
    "insee_com",
    "lib_com",
    "insee_dep",
    "insee_reg",
    "siren_epci",
    "etape",
    "date_adhesion",
    "date_ort",
]


def _communes_pvd():
    return (
        Dossier.objects.pvd()
        .with_etape()
        .select_related("departement__region", "epci")
        .order_by("nom_recherche")
    )


@login_not_required
@require_GET
def public_list(request):
    filtre = CommunePVDFilter(request.GET or None, queryset=_communes_pvd())
    page = Paginator(filtre.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "conventions/public_list.html",
        {
            "filtre": filtre,
            "communes": page,
            "breadcrumb_data": fil_ariane(COMMUNES_PVD[0]),
        },
    )


@login_not_required
@require_GET
def public_detail(request, code: str):
    commune = get_object_or_404(_communes_pvd(), code=code)
    return render(
        request,
        "conventions/public_detail.html",
        {"commune": commune, "breadcrumb_data": fil_ariane(commune.nom, COMMUNES_PVD)},
    )


@login_not_required
@require_GET
def public_map(request):
    """Départements coloured by the share of their PVD communes with a signed adhésion."""
    rows = (
        _communes_pvd()
        .order_by()
        .values("departement")
        .annotate(total=Count("pk"), signees=Count("pk", filter=Q(date_adhesion__isnull=False)))
    )
    shares = {row["departement"]: 100 * row["signees"] / row["total"] for row in rows}
    liens = {
        code: reverse("conventions:public_list") + f"?departement={code}"
        for code in Departement.objects.actuels().values_list("code", flat=True)
    }
    return render(
        request,
        "conventions/public_map.html",
        {
            **carte.contexte(
                shares,
                titre="Part des communes Petites villes de demain ayant signé leur convention "
                "d’adhésion",
                unite_libelle="Part des communes PVD ayant signé leur convention d’adhésion",
                liens=liens,
            ),
            "breadcrumb_data": fil_ariane("Carte des signatures", COMMUNES_PVD),
        },
    )


@login_not_required
@require_GET
def opendata_communes_csv(request):
    """One row per PVD commune; dates ISO, empty when unknown. No personal data."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="communes-pvd.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(OPENDATA_COLUMNS)
    for commune in _communes_pvd().order_by("code"):
        writer.writerow(
            [
                commune.code,
                commune.nom,
                commune.departement_id or "",
                commune.departement.region_id if commune.departement else "",
                commune.epci_id or "",
                commune.etape,
                commune.date_adhesion.isoformat() if commune.date_adhesion else "",
                commune.date_ort.isoformat() if commune.date_ort else "",
            ]
        )
    return response
