"""Pillar 1 pages: chefs de projet (list, record, co-financing, life, VTA), soutiens en
ingénierie (list with euros and days apart, record, edit), besoins exprimés of a commune, and
the Ingénierie section of a commune's dossier.

Every object is fetched through its `for_user` (outside the perimeter: 404); what a visible
object's reader may not do answers 403 (`permissions.py`); the services say no in French."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from communes.enums import Role
from conventions.models import Dossier
from conventions.permissions import has_role_on
from financements.permissions import records_lines
from ingenierie import services
from ingenierie.enums import CHAMPS_COFINANCEMENT, POSTE, Cofinanceur, Unite
from ingenierie.forms import (
    BesoinsForm,
    LibererForm,
    PosteFilterForm,
    PosteForm,
    PourvoirForm,
    SoutienFilterForm,
    SoutienForm,
    TransitionForm,
    VtaForm,
)
from ingenierie.models import BesoinsExprimes, PosteChefDeProjet, SoutienIngenierie
from ingenierie.permissions import (
    can_declare_besoins,
    can_edit_poste,
    can_edit_soutien,
    can_manage_postes,
    records_postes,
)
from pvd.exceptions import DomainError, NotAllowed
from pvd.forms import submit, submit_versioned
from pvd.historique import etapes, modifications
from pvd.navigation import fil_ariane

PAR_PAGE = 50
POSTES = ("Chefs de projet", reverse_lazy("ingenierie:poste_list"))
SOUTIENS = ("Soutiens en ingénierie", reverse_lazy("ingenierie:soutien_list"))

# The transitions of a post, their form and their service.
TRANSITIONS = {
    "recruter": (TransitionForm, services.recruter, "Le recrutement est ouvert."),
    "pourvoir": (PourvoirForm, services.pourvoir, "Le poste est pourvu."),
    "liberer": (LibererForm, services.liberer, "Le poste est déclaré vacant."),
}


def _initial_communes(request) -> list[str]:
    return [code for code in request.GET.get("communes", "").split(",") if code]


# Chefs de projet ----------------------------------------------------------------------------------


def _postes(user):
    return (
        PosteChefDeProjet.objects.for_user(user)
        .select_related("employeur_commune", "employeur_epci")
        .prefetch_related("communes", "vtas")
    )


def _scoped_poste(request, pk: int) -> PosteChefDeProjet:
    return get_object_or_404(
        _postes(request.user).select_related("adhesion", "opah_ru", "created_by"), pk=pk
    )


def poste_list(request):
    filtre = PosteFilterForm(request.GET or None, user=request.user)
    postes = _postes(request.user)
    if filtre.is_valid():
        if etat := filtre.cleaned_data["etat"]:
            postes = postes.filter(etat=etat)
        if departement := filtre.cleaned_data["departement"]:
            postes = postes.filter(communes__departement=departement).distinct()
    page = Paginator(postes, PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "ingenierie/poste_list.html",
        {
            "filtre": filtre,
            "postes": page,
            "can_create": records_postes(request.user),
            "breadcrumb_data": fil_ariane("Chefs de projet"),
        },
    )


def _cofinancement(poste: PosteChefDeProjet) -> list[tuple[str, object, object]]:
    """(co-financer, annual amount, share of the cost) for the four co-financers."""
    return [
        (
            Cofinanceur(code).label,
            getattr(poste, field),
            getattr(poste, field) / poste.cout_annuel if poste.cout_annuel else 0,
        )
        for code, field in CHAMPS_COFINANCEMENT.items()
    ]


def _render_poste(request, poste: PosteChefDeProjet, bound: dict | None = None, status=200):
    can_edit = can_edit_poste(request.user, poste)
    actions = POSTE.available_from(poste.etat) if can_edit else []
    # One prefix per form: the page may hold several, their fields' ids must not collide.
    forms = {t.name: TRANSITIONS[t.name][0](prefix=t.name) for t in actions}
    forms.update(bound or {})
    return render(
        request,
        "ingenierie/poste_detail.html",
        {
            "poste": poste,
            "cofinancement": _cofinancement(poste),
            "actions": [(POSTE[name], form) for name, form in forms.items()],
            "can_edit": can_edit,
            "etapes": etapes(poste),
            "modifications": modifications(poste),
            "breadcrumb_data": fil_ariane(str(poste), POSTES),
        },
        status=status,
    )


def poste_detail(request, pk: int):
    return _render_poste(request, _scoped_poste(request, pk))


def poste_create(request):
    if not records_postes(request.user):
        raise PermissionDenied("Les chefs de projet sont enregistrés par les préfectures.")
    form = PosteForm(
        request.POST or None, user=request.user, initial={"communes": _initial_communes(request)}
    )
    if request.method == "POST" and form.is_valid():
        poste = submit(form, services.create_poste, by=request.user, **form.cleaned_data)
        if poste:
            messages.success(request, f"{poste} enregistré : il est à recruter.")
            return redirect(poste)
    return render(
        request,
        "ingenierie/poste_form.html",
        {
            "form": form,
            "titre": "Nouveau poste de chef de projet",
            "breadcrumb_data": fil_ariane("Nouveau poste", POSTES),
        },
    )


def poste_update(request, pk: int):
    poste = _scoped_poste(request, pk)
    if not can_edit_poste(request.user, poste):
        raise PermissionDenied("Les chefs de projet sont enregistrés par la préfecture.")
    initial = {
        name: getattr(poste, name)
        for name in (
            "adhesion",
            "employeur_commune",
            "employeur_epci",
            "cout_annuel",
            "opah_ru",
            *PosteForm.SUBVENTIONS,
            *PosteForm.TITULAIRE,
        )
    }
    form = PosteForm(
        request.POST or None,
        user=request.user,
        poste=poste,
        initial={**initial, "communes": poste.communes.all(), "version": poste.version},
    )
    conflit = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        saved, conflit = submit_versioned(
            form,
            poste,
            services.update_poste,
            by=request.user,
            poste=poste,
            expected_version=version,
            **data,
        )
        if saved is not None:
            messages.success(request, f"{poste} enregistré.")
            return redirect(poste)
    return render(
        request,
        "ingenierie/poste_form.html",
        {
            "form": form,
            "objet": poste,
            "conflit": conflit,
            "titre": f"Modifier le {str(poste).lower()}",
            "breadcrumb_data": fil_ariane(
                "Modifier", POSTES, (str(poste), poste.get_absolute_url())
            ),
        },
        status=409 if conflit else 200,
    )


@require_POST
def poste_transition(request, pk: int, action: str):
    if action not in TRANSITIONS:
        raise Http404
    poste = _scoped_poste(request, pk)
    if not can_edit_poste(request.user, poste):
        raise PermissionDenied("La vie du poste est enregistrée par la préfecture.")
    form_class, service, message = TRANSITIONS[action]
    form = form_class(request.POST, prefix=action)
    if not form.is_valid():
        return _render_poste(request, poste, {action: form}, status=400)
    try:
        service(by=request.user, poste=poste, **form.cleaned_data)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect(poste)


def vta_create(request, pk: int):
    poste = _scoped_poste(request, pk)
    if not can_edit_poste(request.user, poste):
        raise PermissionDenied("Les VTA sont enregistrés par la préfecture.")
    form = VtaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        vta = submit(form, services.create_vta, by=request.user, poste=poste, **form.cleaned_data)
        if vta:
            messages.success(request, f"{vta} enregistré.")
            return redirect(poste)
    return render(
        request,
        "ingenierie/poste_form.html",
        {
            "form": form,
            "objet": poste,
            "titre": f"Nouveau VTA en appui du {str(poste).lower()}",
            "breadcrumb_data": fil_ariane(
                "Nouveau VTA", POSTES, (str(poste), poste.get_absolute_url())
            ),
        },
    )


# Soutiens en ingénierie ---------------------------------------------------------------------------


def _soutiens(user):
    return (
        SoutienIngenierie.objects.for_user(user)
        .select_related("organisation")
        .prefetch_related("communes")
    )


def _scoped_soutien(request, pk: int) -> SoutienIngenierie:
    return get_object_or_404(_soutiens(request.user).select_related("mesure", "created_by"), pk=pk)


def soutien_list(request):
    filtre = SoutienFilterForm(request.GET or None)
    soutiens = _soutiens(request.user)
    if filtre.is_valid():
        for name in ("organisation", "nature", "etat"):
            if value := filtre.cleaned_data[name]:
                soutiens = soutiens.filter(**{name: value})
    page = Paginator(soutiens, PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "ingenierie/soutien_list.html",
        {
            "filtre": filtre,
            "soutiens": page,
            # Euros and days apart: they never add up.
            "totaux": soutiens.totaux(),
            "can_create": records_lines(request.user),
            "breadcrumb_data": fil_ariane("Soutiens en ingénierie"),
        },
    )


def soutien_detail(request, pk: int):
    soutien = _scoped_soutien(request, pk)
    return render(
        request,
        "ingenierie/soutien_detail.html",
        {
            "soutien": soutien,
            "can_edit": can_edit_soutien(request.user, soutien),
            "etapes": [],
            "modifications": modifications(soutien),
            "breadcrumb_data": fil_ariane(str(soutien), SOUTIENS),
        },
    )


def soutien_create(request):
    if not records_lines(request.user):
        raise PermissionDenied(
            "Les soutiens en ingénierie sont enregistrés par les partenaires et les préfectures."
        )
    form = SoutienForm(
        request.POST or None,
        user=request.user,
        initial={"communes": _initial_communes(request), "unite": Unite.EUROS},
    )
    if request.method == "POST" and form.is_valid():
        soutien = submit(form, services.create_soutien, by=request.user, **form.service_fields())
        if soutien:
            messages.success(request, f"Soutien « {soutien.objet} » enregistré.")
            return redirect(soutien)
    return render(
        request,
        "ingenierie/soutien_form.html",
        {
            "form": form,
            "titre": "Nouveau soutien en ingénierie",
            "breadcrumb_data": fil_ariane("Nouveau soutien", SOUTIENS),
        },
    )


def soutien_update(request, pk: int):
    soutien = _scoped_soutien(request, pk)
    if not can_edit_soutien(request.user, soutien):
        raise PermissionDenied(
            f"Ce soutien est celui de {soutien.organisation} : seuls ses agents et la préfecture "
            "le modifient."
        )
    en_jours = soutien.nombre_jours is not None
    form = SoutienForm(
        request.POST or None,
        user=request.user,
        soutien=soutien,
        initial={
            "communes": soutien.communes.all(),
            "nature": soutien.nature,
            "objet": soutien.objet,
            "unite": Unite.JOURS if en_jours else Unite.EUROS,
            "quantite": soutien.nombre_jours if en_jours else soutien.montant_euros,
            "mesure": soutien.mesure,
            "debut": soutien.debut,
            "fin": soutien.fin,
            "etat": soutien.etat,
            "version": soutien.version,
        },
    )
    conflit = None
    if request.method == "POST" and form.is_valid():
        saved, conflit = submit_versioned(
            form,
            soutien,
            services.update_soutien,
            by=request.user,
            soutien=soutien,
            expected_version=form.cleaned_data["version"],
            **form.service_fields(),
        )
        if saved is not None:
            messages.success(request, f"Soutien « {soutien.objet} » enregistré.")
            return redirect(soutien)
    return render(
        request,
        "ingenierie/soutien_form.html",
        {
            "form": form,
            "objet": soutien,
            "conflit": conflit,
            "titre": f"Modifier le soutien « {soutien.objet} »",
            "breadcrumb_data": fil_ariane(
                "Modifier", SOUTIENS, (str(soutien), soutien.get_absolute_url())
            ),
        },
        status=409 if conflit else 200,
    )


# Besoins exprimés ---------------------------------------------------------------------------------


def besoins(request, code: str):
    dossier = get_object_or_404(Dossier.objects.for_user(request.user), code=code)
    if not can_declare_besoins(request.user, dossier):
        raise PermissionDenied(
            "Les besoins sont déclarés par la commune, son EPCI ou sa préfecture."
        )
    existants = BesoinsExprimes.objects.filter(commune=dossier).first()
    initial = {}
    if existants:
        initial = {
            name: getattr(existants, name)
            for name in ("chef_de_projet", "etudes", "investissements", "precisions")
        }
    form = BesoinsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = submit(
            form, services.save_besoins, by=request.user, commune=dossier, **form.cleaned_data
        )
        if saved:
            messages.success(request, f"Les besoins de {dossier.nom} sont enregistrés.")
            return redirect(dossier)
    return render(
        request,
        "ingenierie/besoins_form.html",
        {
            "form": form,
            "dossier": dossier,
            "objet": dossier,
            "titre": f"Besoins exprimés par {dossier.nom}",
            "breadcrumb_data": fil_ariane(
                "Besoins exprimés",
                ("Dossiers", reverse_lazy("conventions:dossier_list")),
                (dossier.nom, dossier.get_absolute_url()),
            ),
        },
    )


# The Ingénierie section of a commune's dossier ---------------------------------------------------


def section_dossier(request, dossier) -> dict:
    """The commune's chefs de projet (with their VTA), soutiens (euros and days apart),
    besoins, and the buttons the user may use. A fixed number of queries."""
    user = request.user
    postes = list(
        PosteChefDeProjet.objects.filter(communes=dossier)
        .select_related("employeur_commune", "employeur_epci")
        .prefetch_related("communes", "vtas")
    )
    soutiens = SoutienIngenierie.objects.filter(communes=dossier)
    liste = list(soutiens.select_related("organisation"))
    return {
        "postes": postes,
        "soutiens": liste,
        "totaux_soutiens": soutiens.totaux(),
        "nombre_soutiens": len(liste),
        "besoins": BesoinsExprimes.objects.filter(commune=dossier).first(),
        "can_create_poste": can_manage_postes(user, [dossier]),
        "can_declare_besoins": can_declare_besoins(user, dossier),
        # The préfecture, or a partner whose area covers the commune (for its organisation).
        "can_add_soutien": has_role_on(user, {Role.PREFECTURE, Role.PARTENAIRE}, [dossier]),
    }
