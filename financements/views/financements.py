"""Financing lines: list with totals, detail (decision, payments, history), request, edition
while not decided (refused when someone saved in between), decision, payments."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_POST

from communes.models import Commune
from financements import services
from financements.enums import EtatFinancement
from financements.filters import FinancementFilter
from financements.forms import DecisionFinancementForm, FinancementForm, VersementForm
from financements.models import Action, Financement
from financements.permissions import can_edit_financement, records_lines
from financements.views._common import FINANCEMENTS, PAR_PAGE
from pvd.forms import submit, submit_versioned
from pvd.historique import etapes, modifications
from pvd.navigation import fil_ariane
from pvd.text import nombre


def _scoped(request, pk: int) -> Financement:
    return get_object_or_404(
        Financement.objects.for_user(request.user)
        .select_related("source", "mesure", "financeur", "action", "comite__departement")
        .prefetch_related("communes__departement", "versements"),
        pk=pk,
    )


def _caption(page) -> str:
    count = page.paginator.count
    caption = f"{nombre(count)} ligne{pluralize(count)} de financement"
    if page.paginator.num_pages > 1:
        caption += f" — page {page.number} sur {page.paginator.num_pages}"
    return caption


def financement_list(request):
    filtre = FinancementFilter(
        request.GET or None,
        queryset=Financement.objects.for_user(request.user)
        .select_related("source", "mesure", "financeur")
        .prefetch_related("communes"),
        user=request.user,
    )
    lignes = filtre.qs
    page = Paginator(lignes, PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "financements/financement_list.html",
        {
            "filtre": filtre,
            "financements": page,
            "totaux": lignes.totaux(),
            "caption": _caption(page),
            "can_create": records_lines(request.user),
            "breadcrumb_data": fil_ariane("Financements"),
        },
    )


def _render_detail(request, financement: Financement, bound: dict | None = None, status=200):
    can_edit = can_edit_financement(request.user, financement)
    forms = {}
    if can_edit and financement.etat == EtatFinancement.DEMANDE:
        forms["decision"] = DecisionFinancementForm(
            prefix="decision", initial={"montant_accorde": financement.montant_demande}
        )
    if can_edit and financement.etat == EtatFinancement.ACCORDE:
        forms["versement"] = VersementForm(
            prefix="versement", initial={"montant": financement.reste_a_verser}
        )
    forms.update(bound or {})
    return render(
        request,
        "financements/financement_detail.html",
        {
            "financement": financement,
            "can_edit": can_edit and financement.etat == EtatFinancement.DEMANDE,
            "forms": forms,
            "etapes": etapes(financement),
            "modifications": modifications(financement),
            "breadcrumb_data": fil_ariane(str(financement), FINANCEMENTS),
        },
        status=status,
    )


def financement_detail(request, pk: int):
    return _render_detail(request, _scoped(request, pk))


def financement_create(request):
    if not records_lines(request.user):
        raise PermissionDenied(
            "Les financements sont enregistrés par la préfecture et par les partenaires financeurs."
        )
    initial = {}
    if codes := [code for code in request.GET.get("communes", "").split(",") if code]:
        initial["communes"] = Commune.objects.filter(pk__in=codes)
    if (action := request.GET.get("action", "")).isdigit():
        initial["action"] = Action.objects.for_user(request.user).filter(pk=action).first()
    form = FinancementForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        financement = submit(
            form, services.create_financement, by=request.user, **form.cleaned_data
        )
        if financement:
            messages.success(request, f"Demande « {financement} » enregistrée.")
            return redirect(financement)
    return render(
        request,
        "financements/form.html",
        {
            "form": form,
            "titre": "Enregistrer une demande de financement",
            "breadcrumb_data": fil_ariane("Nouvelle demande", FINANCEMENTS),
        },
    )


def financement_update(request, pk: int):
    financement = _scoped(request, pk)
    if not can_edit_financement(request.user, financement):
        raise PermissionDenied(
            f"Cette ligne est celle de {financement.financeur} : seuls ses agents et la "
            "préfecture la modifient."
        )
    if financement.etat != EtatFinancement.DEMANDE:
        raise PermissionDenied("Un financement décidé ne se modifie plus.")
    form = FinancementForm(
        request.POST or None,
        user=request.user,
        financement=financement,
        initial={
            "communes": financement.communes.all(),
            "objet": financement.objet,
            "annee": financement.annee,
            "montant_demande": financement.montant_demande,
            "action": financement.action,
            "version": financement.version,
        },
    )
    conflit = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        saved, conflit = submit_versioned(
            form,
            financement,
            services.update_financement,
            by=request.user,
            financement=financement,
            expected_version=version,
            **data,
        )
        if saved is not None:
            messages.success(request, f"Demande « {financement} » enregistrée.")
            return redirect(financement)
    return render(
        request,
        "financements/form.html",
        {
            "form": form,
            "objet": financement,
            "conflit": conflit,
            "titre": f"Modifier la demande « {financement} »",
            "breadcrumb_data": fil_ariane("Modifier", FINANCEMENTS),
        },
        status=409 if conflit else 200,
    )


def _check_writer(request, financement: Financement) -> None:
    if not can_edit_financement(request.user, financement):
        raise PermissionDenied(
            f"Cette ligne est celle de {financement.financeur} : seuls ses agents et la "
            "préfecture la décident et enregistrent ses versements."
        )


@require_POST
def financement_decide(request, pk: int):
    financement = _scoped(request, pk)
    _check_writer(request, financement)
    form = DecisionFinancementForm(request.POST, prefix="decision")
    if form.is_valid():
        data = form.cleaned_data
        common = {
            "by": request.user,
            "financement": financement,
            "decide_le": data["decide_le"],
            "commentaire": data["commentaire"],
        }
        if data["decision"] == "accorder":
            done = submit(
                form, services.accorder, montant_accorde=data["montant_accorde"], **common
            )
        else:
            done = submit(form, services.refuser, **common)
        if done:
            messages.success(request, f"Décision enregistrée : {done.get_etat_display().lower()}.")
            return redirect(financement)
    return _render_detail(request, financement, {"decision": form}, status=400)


@require_POST
def financement_versement(request, pk: int):
    financement = _scoped(request, pk)
    _check_writer(request, financement)
    form = VersementForm(request.POST, prefix="versement")
    if form.is_valid():
        versement = submit(
            form,
            services.record_versement,
            by=request.user,
            financement=financement,
            **form.cleaned_data,
        )
        if versement:
            messages.success(request, "Versement enregistré.")
            return redirect(financement)
    return _render_detail(request, financement, {"versement": form}, status=400)
