"""Comités des financeurs: the sessions of a département, their agenda, and their decisions
recorded at once (all or none)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from communes.models import Commune
from financements import services
from financements.enums import EtatFinancement
from financements.forms import ComiteForm, DecisionsComiteForm, InscriptionForm
from financements.models import ComiteFinanceurs, Financement
from financements.permissions import can_manage_comite, convenes_comites
from financements.views._common import COMITES
from pvd.forms import submit
from pvd.navigation import fil_ariane

NOT_ALLOWED = "Le comité des financeurs est réuni par la préfecture du département."


def _scoped(request, pk: int) -> ComiteFinanceurs:
    return get_object_or_404(
        ComiteFinanceurs.objects.for_user(request.user).select_related("departement"), pk=pk
    )


def _lines():
    return Financement.objects.select_related("source", "mesure", "financeur").prefetch_related(
        "communes"
    )


def _candidates(comite: ComiteFinanceurs):
    """The pending requests of the département not yet on this agenda (all their communes in
    the département: a comité decides only for its own)."""
    elsewhere = Commune.objects.exclude(departement=comite.departement_id)
    return (
        _lines()
        .filter(
            etat=EtatFinancement.DEMANDE,
            pk__in=Financement.objects.filter(communes__departement=comite.departement_id).values(
                "pk"
            ),
        )
        .exclude(comite=comite)
        .exclude(pk__in=Financement.objects.filter(communes__in=elsewhere).values("pk"))
    )


def _pending(comite: ComiteFinanceurs) -> list[Financement]:
    return list(_lines().filter(comite=comite, etat=EtatFinancement.DEMANDE))


def comite_list(request):
    comites = (
        ComiteFinanceurs.objects.for_user(request.user)
        .select_related("departement")
        .annotate(nombre=Count("financements"))
    )
    return render(
        request,
        "financements/comite_list.html",
        {
            "comites": comites,
            "can_create": convenes_comites(request.user),
            "breadcrumb_data": fil_ariane("Comités des financeurs"),
        },
    )


def comite_create(request):
    if not convenes_comites(request.user):
        raise PermissionDenied(NOT_ALLOWED)
    form = ComiteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        comite = submit(form, services.create_comite, by=request.user, **form.cleaned_data)
        if comite:
            messages.success(request, f"{comite} créé : inscrivez-y les demandes à décider.")
            return redirect(comite)
    return render(
        request,
        "financements/form.html",
        {
            "form": form,
            "titre": "Réunir un comité des financeurs",
            "breadcrumb_data": fil_ariane("Nouveau comité", COMITES),
        },
    )


def _render_detail(request, comite, inscription=None, decisions=None, status=200):
    manager = can_manage_comite(request.user, comite.departement)
    pending = _pending(comite)
    context = {
        "comite": comite,
        "financements": _lines().filter(comite=comite),
        "manager": manager,
        "breadcrumb_data": fil_ariane(str(comite), COMITES),
    }
    if manager:
        context["inscription"] = inscription or InscriptionForm(candidates=_candidates(comite))
        context["decisions"] = decisions or (
            DecisionsComiteForm(financements=pending) if pending else None
        )
    return render(request, "financements/comite_detail.html", context, status=status)


def comite_detail(request, pk: int):
    return _render_detail(request, _scoped(request, pk))


@require_POST
def comite_inscrire(request, pk: int):
    comite = _scoped(request, pk)
    if not can_manage_comite(request.user, comite.departement):
        raise PermissionDenied(NOT_ALLOWED)
    form = InscriptionForm(request.POST, candidates=_candidates(comite))
    if form.is_valid():
        count = submit(
            form,
            services.inscrire,
            by=request.user,
            comite=comite,
            financements=form.cleaned_data["financements"],
        )
        if count:
            messages.success(request, f"{count} demande(s) inscrite(s) à l’ordre du jour.")
            return redirect(comite)
    return _render_detail(request, comite, inscription=form, status=400)


@require_POST
def comite_decisions(request, pk: int):
    """The session's decisions on its agenda, all at once: if one is refused by the rules,
    none is saved and every error is shown."""
    comite = _scoped(request, pk)
    if not can_manage_comite(request.user, comite.departement):
        raise PermissionDenied(NOT_ALLOWED)
    form = DecisionsComiteForm(request.POST, financements=_pending(comite))
    if form.is_valid():
        count = submit(
            form,
            services.decide_comite,
            by=request.user,
            comite=comite,
            decisions=form.decisions(),
            commentaire=form.cleaned_data["commentaire"],
        )
        if count:
            messages.success(request, f"{count} décision(s) du comité enregistrée(s).")
            return redirect(comite)
    return _render_detail(request, comite, decisions=form, status=400)
