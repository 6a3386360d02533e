"""Exports of the lists: the form (format, columns) that keeps the list's filters in its query
string, the download of a small export at once, « Mes exports » and the download of a stored
one (its author's only: anyone else gets 404)."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from pvd import text
from pvd.exports import services
from pvd.exports.base import CONTENT_TYPES
from pvd.exports.forms import ExportForm
from pvd.exports.listes import LISTES
from pvd.forms import submit
from pvd.models import EtatExport, Export
from pvd.navigation import fil_ariane


def _attachment(content: bytes, format: str, nom: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{nom}.{format}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _nom(cle: str, moment) -> str:
    return f"pvd-{cle}-{timezone.localtime(moment):%Y-%m-%d-%Hh%M}"


@require_http_methods(["GET", "POST"])
def export_form(request, liste: str):
    """GET: the form, with the number of rows the filters give. POST: a small export is
    downloaded at once; a large one is queued and kept in « Mes exports »."""
    liste = LISTES.get(liste)
    if liste is None:
        raise Http404("Cette liste ne s’exporte pas.")
    # The list's filters travel in the query string (the form posts to the same URL).
    filtres = request.GET.copy()
    filtres.pop("page", None)
    form = ExportForm(request.POST or None, liste=liste)
    if request.method == "POST" and form.is_valid():
        colonnes, format = form.cleaned_data["colonnes"], form.cleaned_data["format"]
        nombre = liste.lignes(request.user, filtres).count()
        if not services.est_volumineux(nombre):
            contenu, _ = services.produire(
                liste=liste, user=request.user, filtres=filtres, colonnes=colonnes, format=format
            )
            return _attachment(contenu, format, _nom(liste.cle, timezone.now()))
        export = submit(
            form,
            services.demander_export,
            by=request.user,
            liste=liste,
            filtres=filtres,
            colonnes=colonnes,
            format=format,
        )
        if export is not None:
            messages.success(
                request,
                f"L’export de {text.nombre(nombre)} lignes est en préparation : il sera "
                "disponible dans « Mes exports ».",
            )
            return redirect("exports:mes_exports")
    url_liste = reverse(liste.url_liste)
    if filtres:
        url_liste += f"?{filtres.urlencode()}"
    return render(
        request,
        "exports/export_form.html",
        {
            "liste": liste,
            "form": form,
            "nombre": liste.lignes(request.user, filtres).count(),
            "filtres": filtres,
            "url_liste": url_liste,
            "seuil": settings.EXPORT_LIGNES_IMMEDIATES,
            "breadcrumb_data": fil_ariane(f"Exporter : {liste.titre}", (liste.titre, url_liste)),
        },
        status=400 if form.is_bound else 200,
    )


@require_GET
def mes_exports(request):
    exports = list(Export.objects.for_user(request.user))
    for export in exports:
        liste = LISTES.get(export.liste)
        export.titre = liste.titre if liste else export.liste
    return render(
        request,
        "exports/mes_exports.html",
        {
            "exports": exports,
            "en_cours": any(e.etat == EtatExport.EN_ATTENTE for e in exports),
            "seuil": settings.EXPORT_LIGNES_IMMEDIATES,
            "breadcrumb_data": fil_ariane("Mes exports"),
        },
    )


@require_GET
def telecharger(request, pk: int):
    export = get_object_or_404(
        Export.objects.for_user(request.user).filter(etat=EtatExport.PRET), pk=pk
    )
    response = FileResponse(
        export.fichier.open("rb"),
        as_attachment=True,
        filename=f"{_nom(export.liste, export.demande_le)}.{export.format}",
        content_type=CONTENT_TYPES[export.format],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
