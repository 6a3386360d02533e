"""Candidatures: list, deposit, instruction, decisions of the comité régional (one by one or
many at once), withdrawal."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from conventions.enums import CANDIDATURE, EtatCandidature
from conventions.forms import (
    CandidatureForm,
    DecisionForm,
    DecisionsForm,
    InstructionForm,
    RetraitForm,
)
from conventions.models import Candidature
from conventions.permissions import (
    can_fire,
    files_candidatures,
    has_role_on,
    records_decisions,
)
from conventions.services import candidatures as services
from conventions.views._common import CANDIDATURES
from pvd.exceptions import DomainError, NotAllowed
from pvd.forms import submit
from pvd.historique import etapes, modifications
from pvd.navigation import fil_ariane

FORMS = {
    "instruire": InstructionForm,
    "decider": DecisionForm,
    "retirer": RetraitForm,
}


def _scoped(request, pk: int) -> Candidature:
    return get_object_or_404(
        Candidature.objects.for_user(request.user).prefetch_related("communes__epci"), pk=pk
    )


def candidature_list(request):
    etat = request.GET.get("etat", "")
    candidatures = Candidature.objects.for_user(request.user).prefetch_related(
        "communes__departement", "communes__epci"
    )
    if etat in EtatCandidature.values:
        candidatures = candidatures.filter(etat=etat)
    page = Paginator(candidatures, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "conventions/candidature_list.html",
        {
            "candidatures": page,
            "etat": etat,
            "etats": EtatCandidature.choices,
            "can_create": files_candidatures(request.user),
            "can_decide": records_decisions(request.user),
            "breadcrumb_data": fil_ariane("Candidatures"),
        },
    )


def candidature_create(request):
    if not files_candidatures(request.user):
        raise PermissionDenied("Les candidatures sont enregistrées par les préfectures.")
    form = CandidatureForm(request.POST or None, user=request.user, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        candidature = submit(
            form, services.create_candidature, by=request.user, **form.cleaned_data
        )
        if candidature:
            messages.success(request, f"{candidature} enregistrée.")
            return redirect(candidature)
    return render(
        request,
        "conventions/candidature_form.html",
        {"form": form, "breadcrumb_data": fil_ariane("Nouvelle candidature", CANDIDATURES)},
    )


def _render_detail(request, candidature: Candidature, bound: dict | None = None, status=200):
    actions = {
        "instruire": can_fire(request.user, candidature, "instruire"),
        "decider": can_fire(request.user, candidature, "retenir"),
        "retirer": can_fire(request.user, candidature, "retirer"),
    }
    # One prefix per form: the page holds several, their fields' ids must not collide.
    forms = {name: FORMS[name](prefix=name) for name, allowed in actions.items() if allowed}
    forms.update(bound or {})
    return render(
        request,
        "conventions/candidature_detail.html",
        {
            "candidature": candidature,
            "forms": forms,
            "etapes": etapes(candidature),
            "modifications": modifications(candidature),
            "breadcrumb_data": fil_ariane(str(candidature), CANDIDATURES),
        },
        status=status,
    )


def candidature_detail(request, pk: int):
    return _render_detail(request, _scoped(request, pk))


@require_POST
def candidature_transition(request, pk: int, action: str):
    if action not in FORMS:
        raise Http404
    candidature = _scoped(request, pk)
    form = FORMS[action](request.POST, prefix=action)
    if not form.is_valid():
        return _render_detail(request, candidature, {action: form}, status=400)
    data = form.cleaned_data
    try:
        if action == "instruire":
            services.instruct_candidature(candidature=candidature, by=request.user, **data)
        elif action == "decider":
            services.decide_candidature(
                candidature=candidature,
                by=request.user,
                retenue=data["decision"] == "retenir",
                decidee_le=data["decidee_le"],
                commentaire=data["commentaire"],
            )
        else:
            services.withdraw_candidature(
                candidature=candidature, by=request.user, commentaire=data["commentaire"]
            )
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "C’est enregistré.")
    return redirect(candidature)


def candidature_decisions(request):
    """The comité régional's decisions on the instructed candidatures, several at once."""
    if not records_decisions(request.user):
        raise PermissionDenied(
            "Les décisions du comité régional sont saisies par la région ou la préfecture."
        )
    instruites = [
        candidature
        for candidature in Candidature.objects.for_user(request.user)
        .filter(etat=EtatCandidature.INSTRUITE)
        .prefetch_related("communes__departement__region", "communes__epci")
        if has_role_on(request.user, CANDIDATURE["retenir"].roles, candidature.communes.all())
    ]
    form = DecisionsForm(request.POST or None, candidatures=instruites)
    if request.method == "POST" and form.is_valid():
        decided = submit(
            form,
            services.record_decisions,
            by=request.user,
            decisions=form.decisions(),
            decidee_le=form.cleaned_data["decidee_le"],
            commentaire=form.cleaned_data["commentaire"],
        )
        if decided:
            retenues = sum(1 for c in decided if c.etat == EtatCandidature.RETENUE)
            messages.success(
                request,
                f"{len(decided)} décision(s) enregistrée(s) : {retenues} retenue(s), "
                f"{len(decided) - retenues} non retenue(s).",
            )
            return redirect("conventions:candidature_list")
    return render(
        request,
        "conventions/candidature_decisions.html",
        {"form": form, "breadcrumb_data": fil_ariane("Décisions du comité régional", CANDIDATURES)},
    )
