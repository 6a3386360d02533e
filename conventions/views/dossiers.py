"""The dossiers: list of the communes of the programme in the perimeter, deadlines, one
commune's dossier (its journey, next step, contacts, history)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from communes.enums import Role
from communes.models import User
from conventions.enums import Etape
from conventions.filters import DossierFilter
from conventions.forms import OrtHorsCadreForm
from conventions.models import (
    Candidature,
    ConventionAdhesion,
    ConventionCadre,
    Dossier,
    OrtHorsCadre,
)
from conventions.permissions import (
    can_create_candidature,
    can_manage_conventions,
    files_candidatures,
)
from conventions.sections import render_sections
from conventions.services.conventions import record_ort_hors_cadre
from conventions.services.echeances import echeances_par_departement
from conventions.views._common import DOSSIERS
from pvd.exceptions import DomainError, NotAllowed
from pvd.historique import etapes, modifications
from pvd.navigation import fil_ariane

PAR_PAGE = 50


def _dossiers(user):
    return (
        Dossier.objects.for_user(user)
        .in_programme()
        .with_etape()
        .select_related("departement", "epci")
    )


def dossier_list(request):
    filtre = DossierFilter(
        request.GET or None,
        queryset=_dossiers(request.user).order_by("nom_recherche"),
        user=request.user,
    )
    page = Paginator(filtre.qs, PAR_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for dossier in page:
        dossier.statut = dossier.statut_echeance(today)
    return render(
        request,
        "conventions/dossier_list.html",
        {
            "filtre": filtre,
            "dossiers": page,
            "today": today,
            "can_create": files_candidatures(request.user),
            "breadcrumb_data": fil_ariane("Dossiers"),
        },
    )


def echeances(request):
    """The préfecture's lists: projets de territoire due within 90 days, and overdue."""
    today = timezone.localdate()
    listes = echeances_par_departement(Dossier.objects.for_user(request.user), today)
    return render(
        request,
        "conventions/echeances.html",
        {
            "listes": listes,
            "today": today,
            "breadcrumb_data": fil_ariane("Échéances des projets de territoire", DOSSIERS),
        },
    )


# The stepper of the dossier: step number, its title, the next step's title.
ETAPES_DU_PARCOURS = {
    Etape.CANDIDATE: (1, "Candidature déposée", "sélection par le comité régional"),
    Etape.LAUREATE: (2, "Commune lauréate", "convention d’adhésion"),
    Etape.ADHESION_SIGNEE: (
        3,
        "Convention d’adhésion signée",
        "projet de territoire et convention-cadre valant ORT",
    ),
    Etape.ORT_SIGNEE: (4, "Opération de revitalisation de territoire signée", ""),
}


def stepper(dossier: Dossier) -> dict | None:
    if not dossier.etape:
        return None
    numero, titre, suivante = ETAPES_DU_PARCOURS[dossier.etape]
    return {
        "current_step_id": numero,
        "current_step_title": titre,
        "next_step_title": suivante.capitalize(),
        "total_steps": len(ETAPES_DU_PARCOURS),
    }


def dossier_detail(request, code: str):
    dossier = get_object_or_404(
        Dossier.objects.for_user(request.user)
        .with_etape()
        .select_related("departement__region", "epci"),
        code=code,
    )
    today = timezone.localdate()
    candidatures = list(Candidature.objects.filter(communes=dossier).prefetch_related("communes"))
    adhesion = (
        ConventionAdhesion.objects.filter(communes=dossier)
        .prefetch_related("communes", "partenaires", "avenants")
        .first()
    )
    cadre = (
        ConventionCadre.objects.filter(communes=dossier)
        .prefetch_related("communes", "orientations", "avenants")
        .first()
    )
    ort = OrtHorsCadre.objects.filter(commune=dossier).first()
    objets = [*candidatures, adhesion, cadre, ort]
    objets += [
        *(adhesion.avenants.all() if adhesion else ()),
        *(cadre.avenants.all() if cadre else ()),
    ]
    contacts = User.objects.filter(
        is_active=True,
        habilitations__role=Role.PREFECTURE,
        habilitations__departement=dossier.departement_id,
    ).order_by("last_name")
    manager = can_manage_conventions(request.user, [dossier])
    return render(
        request,
        "conventions/dossier_detail.html",
        {
            "dossier": dossier,
            "candidatures": candidatures,
            "adhesion": adhesion,
            "cadre": cadre,
            "ort": ort,
            "prochaine_etape": dossier.prochaine_etape,
            "stepper": stepper(dossier),
            "statut_echeance": dossier.statut_echeance(today),
            "jours": (dossier.echeance_projet - today).days if dossier.echeance_projet else None,
            "contacts": contacts,
            "sections": render_sections(request, dossier),
            "historique": [
                (objet, list(etapes(objet)), modifications(objet)) for objet in objets if objet
            ],
            "can_create_candidature": not dossier.etape
            and can_create_candidature(request.user, [dossier]),
            "can_prepare_adhesion": manager and dossier.etape == Etape.LAUREATE and not adhesion,
            "can_prepare_cadre": manager and adhesion and adhesion.est_signee and not cadre,
            "can_record_ort": manager and dossier.etape and not ort and not dossier.date_ort,
            "ort_form": OrtHorsCadreForm(),
            "breadcrumb_data": fil_ariane(dossier.nom, DOSSIERS),
        },
    )


@require_POST
def dossier_ort(request, code: str):
    dossier = get_object_or_404(Dossier.objects.for_user(request.user), code=code)
    form = OrtHorsCadreForm(request.POST)
    if form.is_valid():
        try:
            record_ort_hors_cadre(by=request.user, commune=dossier, **form.cleaned_data)
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "L’ORT de la commune est enregistrée.")
    else:
        messages.error(
            request, "ORT non enregistrée : indiquez sa date de signature et son origine."
        )
    return redirect(dossier)
