"""The catalogue of the programme: its mesures and its financing sources. Read by every
logged-in user; kept by the ANCT (`services.save_mesure`, `services.save_source`)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from financements import services
from financements.forms import MesureForm, SourceForm
from financements.models import Mesure, SourceFinancement
from financements.permissions import can_manage_catalogue
from financements.views._common import MESURES, SOURCES
from pvd.forms import submit
from pvd.navigation import fil_ariane

NOT_ALLOWED = "Le catalogue du programme est tenu par l’équipe nationale (ANCT)."

KINDS = {
    "mesure": {
        "model": Mesure,
        "form": MesureForm,
        "service": services.save_mesure,
        "related": ("partenaire", "orientation"),
        "crumb": MESURES,
        "nouveau": "Nouvelle mesure",
    },
    "source": {
        "model": SourceFinancement,
        "form": SourceForm,
        "service": services.save_source,
        "related": ("financeur", "region", "departement"),
        "crumb": SOURCES,
        "nouveau": "Nouvelle source de financement",
    },
}


def _check(request) -> None:
    if not can_manage_catalogue(request.user):
        raise PermissionDenied(NOT_ALLOWED)


def mesure_list(request):
    mesures = Mesure.objects.select_related("partenaire", "orientation")
    if not can_manage_catalogue(request.user):
        mesures = mesures.filter(active=True)
    return render(
        request,
        "financements/mesure_list.html",
        {
            "mesures": mesures,
            "can_manage": can_manage_catalogue(request.user),
            "breadcrumb_data": fil_ariane("Mesures du programme"),
        },
    )


def mesure_detail(request, code: str):
    mesure = get_object_or_404(
        Mesure.objects.select_related("partenaire", "orientation"), code=code
    )
    return render(
        request,
        "financements/mesure_detail.html",
        {
            "mesure": mesure,
            "can_manage": can_manage_catalogue(request.user),
            "breadcrumb_data": fil_ariane(mesure.titre, MESURES),
        },
    )


def source_list(request):
    sources = SourceFinancement.objects.select_related("financeur", "region", "departement")
    if not can_manage_catalogue(request.user):
        sources = sources.filter(active=True)
    return render(
        request,
        "financements/source_list.html",
        {
            "sources": sources,
            "can_manage": can_manage_catalogue(request.user),
            "breadcrumb_data": fil_ariane("Sources de financement"),
        },
    )


def source_detail(request, code: str):
    source = get_object_or_404(
        SourceFinancement.objects.select_related("financeur", "region", "departement"), code=code
    )
    return render(
        request,
        "financements/source_detail.html",
        {
            "source": source,
            "can_manage": can_manage_catalogue(request.user),
            "breadcrumb_data": fil_ariane(str(source), SOURCES),
        },
    )


def _save(request, kind: str, code: str | None = None):
    _check(request)
    spec = KINDS[kind]
    instance = None
    if code is not None:
        instance = get_object_or_404(spec["model"], code=code)
    form = spec["form"](request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        target = {kind: instance} if instance else {}
        saved = submit(form, spec["service"], by=request.user, **target, **form.cleaned_data)
        if saved:
            messages.success(request, f"« {saved} » enregistrée au catalogue.")
            return redirect(f"financements:{kind}_detail", saved.code)
    titre = f"Modifier « {instance} »" if instance else spec["nouveau"]
    return render(
        request,
        "financements/form.html",
        {
            "form": form,
            "titre": titre,
            "annuler": reverse(f"financements:{kind}_detail", args=[instance.code])
            if instance
            else reverse(f"financements:{kind}_list"),
            "breadcrumb_data": fil_ariane(titre, spec["crumb"]),
        },
    )


def mesure_create(request):
    return _save(request, "mesure")


def mesure_update(request, code: str):
    return _save(request, "mesure", code)


def source_create(request):
    return _save(request, "source")


def source_update(request, code: str):
    return _save(request, "source", code)
