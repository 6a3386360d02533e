"""The Club's agenda: the public list of events and its iCalendar feed, an event's page, its
creation and edition (the Club team, or a préfecture proposing a local event), the modules
of a session de formation, and registration (oneself, a colleague, one's registrations)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from club import services
from club.calendrier import calendrier
from club.enums import EtatEvenement, EtatInscription, TypeEvenement
from club.filters import AgendaFilter
from club.forms import (
    AnnulationForm,
    EvenementForm,
    InscriptionCollegueForm,
    ModuleForm,
    evenement_initial,
)
from club.models import Evenement, Inscription, ModuleFormation
from club.permissions import (
    can_cancel_evenement,
    can_cancel_inscription,
    can_create_evenement,
    can_edit_evenement,
    can_publish_evenement,
    can_register,
    can_view_inscriptions,
    is_club_team,
)
from pvd.exceptions import DomainError, NotAllowed
from pvd.forms import submit, submit_versioned
from pvd.historique import etapes, modifications
from pvd.navigation import fil_ariane

AGENDA = ("Agenda du Club", reverse_lazy("club:agenda"))
PAR_PAGE = 20
# The feed keeps the events of the last weeks, so that calendars do not drop them at once.
FLUX_JOURS = 90
ICS = "text/calendar; charset=utf-8"
NOT_ALLOWED = "Les événements du Club sont créés par son équipe ; une préfecture en propose."


# Reads ----------------------------------------------------------------------------------------


def _scoped(request, pk: int) -> Evenement:
    """The event through the user's scope (a draft outside it answers 404)."""
    return get_object_or_404(
        Evenement.objects.for_user(request.user).select_related(
            "thematique", "commune", "departement", "semaine", "cercle"
        ),
        pk=pk,
    )


def _with_places(evenements):
    """Annotate the registered count (the free places follow, see `_free_places`)."""
    # An aggregate drops Meta.ordering: say it again.
    return evenements.annotate(
        nb_inscrits=Count("inscriptions", filter=Q(inscriptions__etat=EtatInscription.INSCRIT))
    ).order_by("debut", "pk")


def _free_places(evenements) -> None:
    for evenement in evenements:
        capacite = evenement.capacite
        evenement.libres = None if capacite is None else max(capacite - evenement.nb_inscrits, 0)


def _own_inscription(user, evenement: Evenement) -> Inscription | None:
    """The user's own registration to the event, unless withdrawn."""
    if not user.is_authenticated:
        return None
    return (
        Inscription.objects.filter(evenement=evenement, participant__user=user)
        .with_rang()
        .exclude(etat=EtatInscription.ANNULEE)
        .select_related("participant")
        .first()
    )


def _sees_link(user, evenement: Evenement, inscription: Inscription | None) -> bool:
    """The connection link is given to the registered people and to the Club team."""
    return is_club_team(user) or (
        inscription is not None and inscription.etat == EtatInscription.INSCRIT
    )


def _ics(content: bytes, disposition: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ICS)
    response["Content-Disposition"] = disposition
    return response


@login_not_required
@require_GET
def agenda(request):
    user = request.user
    evenements = _with_places(
        Evenement.objects.for_user(user).published().select_related("thematique", "commune")
    )
    # Always bound: without a filter, the agenda shows the upcoming events.
    filtre = AgendaFilter(request.GET, queryset=evenements)
    page = Paginator(filtre.qs, PAR_PAGE).get_page(request.GET.get("page"))
    _free_places(page)
    a_publier = None
    if can_create_evenement(user):
        a_publier = (
            Evenement.objects.for_user(user)
            .filter(etat__in=[EtatEvenement.BROUILLON, EtatEvenement.PROPOSE])
            .upcoming()
            .select_related("thematique", "departement")
        )
    return render(
        request,
        "club/agenda.html",
        {
            "filtre": filtre,
            "evenements": page,
            "passes": bool(filtre.form.cleaned_data.get("passes")),
            "can_create": can_create_evenement(user),
            "equipe": is_club_team(user),
            "a_publier": a_publier,
            "breadcrumb_data": fil_ariane(AGENDA[0]),
        },
    )


@login_not_required
@require_GET
def agenda_ics(request):
    """The public feed: published events to come and those of the last FLUX_JOURS days,
    without the connection links (they are given to registered people only)."""
    depuis = timezone.now() - timedelta(days=FLUX_JOURS)
    evenements = (
        Evenement.objects.for_user(request.user)
        .published()
        .filter(fin__gte=depuis)
        .select_related("thematique", "commune")
    )
    return _ics(calendrier(evenements, avec_lien=False), 'attachment; filename="club-pvd.ics"')


@login_not_required
@require_GET
def evenement_detail(request, pk: int):
    user = request.user
    evenement = _scoped(request, pk)
    inscription = _own_inscription(user, evenement)
    semaine = programme = None
    if evenement.type == TypeEvenement.SEMAINE_THEMATIQUE:
        programme = _with_places(
            Evenement.objects.for_user(user)
            .filter(semaine=evenement)
            .exclude(etat=EtatEvenement.ANNULE)
            .select_related("thematique", "commune")
        )
        _free_places(programme)
    elif evenement.semaine_id:
        # The week may be a draft the user does not see.
        semaine = Evenement.objects.for_user(user).filter(pk=evenement.semaine_id).first()
    can_edit = can_edit_evenement(user, evenement)
    voit_inscriptions = can_view_inscriptions(user, evenement)
    voit_historique = can_edit or voit_inscriptions
    return render(
        request,
        "club/evenement_detail.html",
        {
            "evenement": evenement,
            "organisateurs": list(evenement.organisateurs.all()),
            "copilotes": list(evenement.copilotes.all()),
            "communes_valorisees": list(evenement.communes_valorisees.order_by("nom")),
            "modules": list(evenement.modules.all()),
            "semaine": semaine,
            "programme": programme,
            "places": services.places(evenement),
            "inscription": inscription,
            "voit_lien": _sees_link(user, evenement, inscription),
            "peut_s_inscrire": can_register(user) and evenement.accepte_inscriptions,
            "peut_annuler_inscription": inscription is not None
            and can_cancel_inscription(user, inscription),
            "can_edit": can_edit,
            "can_publish": can_publish_evenement(user, evenement),
            "can_cancel": can_cancel_evenement(user, evenement),
            "can_add_module": can_edit and evenement.type == TypeEvenement.FORMATION,
            "can_view_inscriptions": voit_inscriptions,
            "etapes": etapes(evenement) if voit_historique else None,
            "modifications": modifications(evenement) if voit_historique else None,
            "breadcrumb_data": fil_ariane(evenement.titre, AGENDA),
        },
    )


@login_not_required
@require_GET
def evenement_ics(request, pk: int):
    """One event's calendar file, with the connection link for those who may see it."""
    evenement = _scoped(request, pk)
    inscription = _own_inscription(request.user, evenement)
    content = calendrier([evenement], avec_lien=_sees_link(request.user, evenement, inscription))
    return _ics(content, f'attachment; filename="evenement-{evenement.pk}.ics"')


# Events: creation, edition, workflow ---------------------------------------------------------


def _initial_from_query(request) -> dict:
    """A new event may start from a link: « add an event to this week », « plan a meeting of
    this cercle »."""
    return {
        name: value
        for name in ("type", "thematique", "semaine", "cercle")
        if (value := request.GET.get(name))
    }


def evenement_create(request):
    user = request.user
    if not can_create_evenement(user):
        raise PermissionDenied(NOT_ALLOWED)
    form = EvenementForm(request.POST or None, user=user, initial=_initial_from_query(request))
    if request.method == "POST" and form.is_valid():
        evenement = submit(form, services.create_evenement, by=user, **form.service_kwargs())
        if evenement:
            if evenement.etat == EtatEvenement.PROPOSE:
                messages.success(
                    request,
                    f"Événement « {evenement} » proposé : l’équipe du Club le publiera.",
                )
            else:
                messages.success(
                    request,
                    f"Événement « {evenement} » enregistré en brouillon : publiez-le pour "
                    "l’ouvrir aux inscriptions.",
                )
            return redirect(evenement)
    return render(
        request,
        "club/evenement_form.html",
        {
            "form": form,
            "titre": "Nouvel événement du Club"
            if is_club_team(user)
            else "Proposer un événement local",
            "breadcrumb_data": fil_ariane("Nouvel événement", AGENDA),
        },
    )


def evenement_update(request, pk: int):
    user = request.user
    evenement = _scoped(request, pk)
    if not can_edit_evenement(user, evenement):
        raise PermissionDenied("Vous ne pouvez pas modifier cet événement.")
    form = EvenementForm(
        request.POST or None,
        user=user,
        evenement=evenement,
        initial=evenement_initial(evenement),
    )
    conflit = None
    if request.method == "POST" and form.is_valid():
        saved, conflit = submit_versioned(
            form,
            evenement,
            services.update_evenement,
            by=user,
            evenement=evenement,
            expected_version=form.cleaned_data["version"],
            **form.service_kwargs(),
        )
        if saved is not None:
            messages.success(request, f"Événement « {evenement.titre} » enregistré.")
            return redirect(evenement)
    return render(
        request,
        "club/evenement_form.html",
        {
            "form": form,
            "objet": evenement,
            "conflit": conflit,
            "titre": f"Modifier « {evenement} »",
            "breadcrumb_data": fil_ariane(
                "Modifier", AGENDA, (evenement.titre, evenement.get_absolute_url())
            ),
        },
        status=409 if conflit else 200,
    )


def _posted_version(request) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


@require_POST
def evenement_publier(request, pk: int):
    evenement = _scoped(request, pk)
    if not can_publish_evenement(request.user, evenement):
        raise PermissionDenied("Seule l’équipe du Club publie les événements.")
    try:
        services.publier_evenement(
            evenement=evenement, by=request.user, expected_version=_posted_version(request)
        )
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except DomainError as error:
        # A stale page or a second click: say so, the event page shows where it stands.
        messages.error(request, str(error))
    else:
        messages.success(
            request, "Événement publié : il est dans l’agenda, ouvert aux inscriptions."
        )
    return redirect(evenement)


def evenement_annuler(request, pk: int):
    user = request.user
    evenement = _scoped(request, pk)
    if not can_cancel_evenement(user, evenement):
        raise PermissionDenied("Vous ne pouvez pas annuler cet événement.")
    form = AnnulationForm(request.POST or None, initial={"version": evenement.version})
    conflit = None
    if request.method == "POST" and form.is_valid():
        saved, conflit = submit_versioned(
            form,
            evenement,
            services.annuler_evenement,
            evenement=evenement,
            by=user,
            motif=form.cleaned_data["motif"],
            expected_version=form.cleaned_data["version"],
        )
        if saved is not None:
            messages.success(request, f"Événement « {evenement.titre} » annulé.")
            return redirect(evenement)
    return render(
        request,
        "club/evenement_annuler.html",
        {
            "form": form,
            "evenement": evenement,
            "conflit": conflit,
            "places": services.places(evenement),
            "breadcrumb_data": fil_ariane(
                "Annuler", AGENDA, (evenement.titre, evenement.get_absolute_url())
            ),
        },
        status=409 if conflit else 200,
    )


def _module_form(request, session: Evenement, module: ModuleFormation | None):
    if not can_edit_evenement(request.user, session):
        raise PermissionDenied("Vous ne pouvez pas modifier cette session de formation.")
    form = ModuleForm(request.POST or None, session=session, module=module)
    if request.method == "POST" and form.is_valid():
        saved = submit(
            form,
            services.save_module,
            by=request.user,
            session=session,
            module=module,
            numero=form.cleaned_data["numero"],
            titre=form.cleaned_data["titre"],
            **form.creneau(),
        )
        if saved:
            messages.success(request, f"{saved} enregistré.")
            return redirect(session)
    return render(
        request,
        "club/module_form.html",
        {
            "form": form,
            "session": session,
            "module": module,
            "titre": f"Modifier le module {module.numero}" if module else "Ajouter un module",
            "breadcrumb_data": fil_ariane(
                "Module", AGENDA, (session.titre, session.get_absolute_url())
            ),
        },
    )


def module_create(request, pk: int):
    session = _scoped(request, pk)
    if session.type != TypeEvenement.FORMATION:
        raise Http404("Seule une session de formation a des modules.")
    return _module_form(request, session, None)


def module_update(request, pk: int):
    module = get_object_or_404(
        ModuleFormation.objects.filter(session__in=Evenement.objects.for_user(request.user)),
        pk=pk,
    )
    return _module_form(request, _scoped(request, module.session_id), module)


# Registrations --------------------------------------------------------------------------------


def _rang(inscription: Inscription) -> int:
    return (
        Inscription.objects.filter(pk=inscription.pk).with_rang().values_list("rang", flat=True)[0]
    )


@require_POST
def inscription_create(request, pk: int):
    evenement = _scoped(request, pk)
    try:
        inscription = services.inscrire_moi(evenement=evenement, by=request.user)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except DomainError as error:
        messages.error(request, str(error))
    else:
        if inscription.etat == EtatInscription.INSCRIT:
            messages.success(
                request,
                "Vous êtes inscrit : un courriel de confirmation vous est envoyé, avec "
                "l’événement à ajouter à votre agenda.",
            )
        else:
            messages.warning(
                request,
                "L’événement est complet : vous êtes en liste d’attente "
                f"(rang {_rang(inscription)}). Un courriel vous préviendra si une place se "
                "libère.",
            )
    return redirect(evenement)


def inscription_collegue(request, pk: int):
    user = request.user
    evenement = _scoped(request, pk)
    if not can_register(user):
        raise PermissionDenied("Votre compte ne permet pas d’inscrire des personnes au Club.")
    if not evenement.accepte_inscriptions:
        messages.info(request, "Cet événement n’est pas ouvert aux inscriptions.")
        return redirect(evenement)
    form = InscriptionCollegueForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        inscription = submit(
            form, services.inscrire_collegue, evenement=evenement, by=user, **form.cleaned_data
        )
        if inscription:
            qui = inscription.participant
            if inscription.etat == EtatInscription.INSCRIT:
                messages.success(request, f"{qui} est inscrit : un courriel lui est envoyé.")
            else:
                messages.warning(
                    request,
                    f"L’événement est complet : {qui} est en liste d’attente "
                    f"(rang {_rang(inscription)}).",
                )
            if "autre" in request.POST:
                return redirect("club:inscription_collegue", pk=evenement.pk)
            return redirect(evenement)
    return render(
        request,
        "club/inscription_collegue.html",
        {
            "form": form,
            "evenement": evenement,
            "places": services.places(evenement),
            "breadcrumb_data": fil_ariane(
                "Inscrire un collègue", AGENDA, (evenement.titre, evenement.get_absolute_url())
            ),
        },
    )


@require_POST
def inscription_annuler(request, pk: int):
    user = request.user
    inscription = get_object_or_404(
        Inscription.objects.for_user(user).select_related("evenement", "participant"), pk=pk
    )
    if not can_cancel_inscription(user, inscription):
        raise PermissionDenied("Vous ne pouvez pas annuler cette inscription.")
    try:
        services.annuler_inscription(inscription=inscription, by=user)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except DomainError as error:
        messages.error(request, str(error))
    else:
        if inscription.participant.user_id == user.pk:
            messages.success(request, "Votre inscription est annulée.")
        else:
            messages.success(request, f"L’inscription de {inscription.participant} est annulée.")
    suivante = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        suivante, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(suivante)
    return redirect(inscription.evenement)


def _split(inscriptions, now) -> dict[str, list[Inscription]]:
    a_venir = [i for i in inscriptions if i.evenement.fin >= now]
    passees = [i for i in inscriptions if i.evenement.fin < now]
    a_venir.sort(key=lambda i: (i.evenement.debut, i.pk))
    passees.sort(key=lambda i: (i.evenement.debut, i.pk), reverse=True)
    return {"a_venir": a_venir, "passees": passees}


def mes_inscriptions(request):
    user = request.user
    now = timezone.now()
    inscriptions = list(
        Inscription.objects.filter(Q(participant__user=user) | Q(inscrit_par=user))
        .with_rang()
        .select_related("evenement__thematique", "evenement__commune", "participant")
        .order_by("evenement__debut", "pk")
    )
    for inscription in inscriptions:
        inscription.peut_annuler = can_cancel_inscription(user, inscription)
    miennes = [i for i in inscriptions if i.participant.user_id == user.pk]
    collegues = [i for i in inscriptions if i.participant.user_id != user.pk]
    return render(
        request,
        "club/mes_inscriptions.html",
        {
            "miennes": _split(miennes, now),
            "collegues": _split(collegues, now),
            "can_register": can_register(user),
            "breadcrumb_data": fil_ariane("Mes inscriptions", AGENDA),
        },
    )
