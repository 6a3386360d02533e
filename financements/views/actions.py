"""Fiches actions of the projets de territoire: list, declaration, edition, detail with the
financing lines that fund them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from communes.models import Commune
from financements import services
from financements.filters import ActionFilter
from financements.forms import ActionForm
from financements.models import Action, Financement
from financements.permissions import can_edit_action, declares_actions, records_lines
from financements.views._common import ACTIONS, PAR_PAGE
from pvd.forms import submit, submit_versioned
from pvd.historique import modifications
from pvd.navigation import fil_ariane

NOT_ALLOWED = "Les actions sont déclarées par la commune, son intercommunalité et la préfecture."


def _scoped(request, pk: int) -> Action:
    return get_object_or_404(
        Action.objects.for_user(request.user)
        .select_related("orientation")
        .prefetch_related("communes"),
        pk=pk,
    )


def action_list(request):
    filtre = ActionFilter(
        request.GET or None,
        queryset=Action.objects.for_user(request.user)
        .select_related("orientation")
        .prefetch_related("communes"),
    )
    page = Paginator(filtre.qs, PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "financements/action_list.html",
        {
            "filtre": filtre,
            "actions": page,
            "can_create": declares_actions(request.user),
            "breadcrumb_data": fil_ariane("Actions"),
        },
    )


def action_detail(request, pk: int):
    action = _scoped(request, pk)
    financements = (
        Financement.objects.for_user(request.user)
        .filter(action=action)
        .select_related("source", "mesure", "financeur")
        .prefetch_related("communes")
    )
    return render(
        request,
        "financements/action_detail.html",
        {
            "action": action,
            "financements": financements,
            "totaux": financements.totaux(),
            "can_edit": can_edit_action(request.user, action),
            "can_fund": records_lines(request.user),
            "modifications": modifications(action),
            "breadcrumb_data": fil_ariane(str(action), ACTIONS),
        },
    )


def action_create(request):
    if not declares_actions(request.user):
        raise PermissionDenied(NOT_ALLOWED)
    initial = {}
    if codes := [code for code in request.GET.get("communes", "").split(",") if code]:
        initial["communes"] = Commune.objects.filter(pk__in=codes)
    form = ActionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        action = submit(form, services.create_action, by=request.user, **form.cleaned_data)
        if action:
            messages.success(request, f"Action « {action} » enregistrée.")
            return redirect(action)
    return render(
        request,
        "financements/form.html",
        {
            "form": form,
            "titre": "Déclarer une action du projet de territoire",
            "breadcrumb_data": fil_ariane("Nouvelle action", ACTIONS),
        },
    )


def action_update(request, pk: int):
    action = _scoped(request, pk)
    if not can_edit_action(request.user, action):
        raise PermissionDenied(NOT_ALLOWED)
    form = ActionForm(
        request.POST or None,
        user=request.user,
        action=action,
        initial={
            "titre": action.titre,
            "communes": action.communes.all(),
            "orientation": action.orientation,
            "type": action.type,
            "etat": action.etat,
            "budget": action.budget,
            "description": action.description,
            "version": action.version,
        },
    )
    conflit = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        saved, conflit = submit_versioned(
            form,
            action,
            services.update_action,
            by=request.user,
            action=action,
            expected_version=version,
            **data,
        )
        if saved is not None:
            messages.success(request, f"Action « {action} » enregistrée.")
            return redirect(action)
    return render(
        request,
        "financements/form.html",
        {
            "form": form,
            "objet": action,
            "conflit": conflit,
            "titre": f"Modifier l’action « {action} »",
            "breadcrumb_data": fil_ariane("Modifier", ACTIONS),
        },
        status=409 if conflit else 200,
    )
