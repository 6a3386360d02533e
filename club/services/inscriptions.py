"""Registrations and the waiting list, and the e-mails that tell people where they stand.

The places of an event are counted under a lock on the event's row: two people taking the
last place at once, or a cancellation and a registration, are served one after the other.
E-mails are queued after the commit (`pvd.taches.planifier`) and claimed before they are
sent, so that a job that runs twice sends once.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from club import tasks
from club.enums import (
    ETATS_ACTIFS,
    EtatEvenement,
    EtatInscription,
    OrigineParticipant,
    SourceInscription,
    TypeEvenement,
)
from club.models import (
    Evenement,
    Inscription,
    Participant,
)
from club.permissions import (
    can_cancel_inscription,
    can_register,
    can_register_for_commune,
)
from communes.enums import Role
from pvd.exceptions import DomainError, NotAllowed
from pvd.taches import planifier

if TYPE_CHECKING:
    from communes.models import Commune, User


def participant_for_user(user: User) -> Participant:
    """The user as a participant (created on their first registration; a guest with the
    same e-mail becomes theirs). Their commune and organisation come from their
    habilitations when there is exactly one."""
    participant = Participant.objects.filter(Q(user=user) | Q(email=user.email)).first()
    communes = {h.commune for h in user.habilitations_list if h.role == Role.COMMUNE}
    organisations = {h.organisation for h in user.habilitations_list if h.role == Role.PARTENAIRE}
    if participant is None:
        participant = Participant(email=user.email, origine=OrigineParticipant.COMPTE)
    participant.user = user
    participant.prenom = user.first_name or participant.prenom
    participant.nom = user.last_name or participant.nom
    if len(communes) == 1:
        participant.commune = communes.pop()
    if len(organisations) == 1:
        participant.organisation = organisations.pop()
    participant.save()
    return participant


def _lock_event(evenement: Evenement) -> Evenement:
    return Evenement.objects.select_for_update(of=("self",)).get(pk=evenement.pk)


def _places_prises(evenement: Evenement) -> int:
    return evenement.inscriptions.filter(etat=EtatInscription.INSCRIT).count()


def _notify(inscription: Inscription) -> None:
    pk = inscription.pk
    planifier(tasks.notify_inscription, pk)


def _promote(evenement: Evenement) -> list[Inscription]:
    """Give the free places to the waiting list, first come first served (under the event's
    lock, taken by the caller)."""
    if evenement.etat != EtatEvenement.PUBLIE or evenement.a_commence:
        return []
    waiting = evenement.inscriptions.filter(etat=EtatInscription.ATTENTE).order_by(
        "demandee_le", "pk"
    )
    if evenement.capacite is not None:
        free = evenement.capacite - _places_prises(evenement)
        waiting = waiting[: max(free, 0)]
    promoted = list(waiting)
    for inscription in promoted:
        inscription.etat = EtatInscription.INSCRIT
        inscription._change_reason = "Place libérée : sortie de la liste d’attente"
        inscription.save(update_fields=["etat"])
        _notify(inscription)
    return promoted


@transaction.atomic
def inscrire(
    *, evenement: Evenement, participant: Participant, by: User, source: str
) -> Inscription:
    """Register `participant`: a place if one is free, else the end of the waiting list."""
    locked = _lock_event(evenement)
    if not locked.accepte_inscriptions:
        if locked.type == TypeEvenement.SEMAINE_THEMATIQUE:
            raise DomainError(
                "On s’inscrit à chacun des événements de la semaine thématique, pas à la "
                "semaine elle-même."
            )
        if locked.etat != EtatEvenement.PUBLIE:
            raise DomainError("Cet événement n’est pas ouvert aux inscriptions.")
        raise DomainError("Cet événement a commencé : les inscriptions sont closes.")
    inscription = (
        Inscription.objects.select_for_update()
        .filter(evenement=locked, participant=participant)
        .first()
    )
    if inscription is not None and inscription.etat in ETATS_ACTIFS:
        raise DomainError(
            f"{participant} est déjà inscrit à cet événement "
            f"({inscription.get_etat_display().lower()})."
        )
    full = locked.capacite is not None and _places_prises(locked) >= locked.capacite
    inscription = inscription or Inscription(evenement=locked, participant=participant)
    inscription.etat = EtatInscription.ATTENTE if full else EtatInscription.INSCRIT
    inscription.demandee_le = timezone.now()
    inscription.inscrit_par = by
    inscription.source = source
    inscription.rappel_envoye_le = None
    inscription._history_user = by
    inscription.save()
    _notify(inscription)
    return inscription


def inscrire_moi(*, evenement: Evenement, by: User) -> Inscription:
    if not can_register(by):
        raise NotAllowed("Votre compte ne permet pas de s’inscrire aux événements du Club.")
    with transaction.atomic():
        participant = participant_for_user(by)
        return inscrire(
            evenement=evenement, participant=participant, by=by, source=SourceInscription.PERSONNE
        )


def inscrire_collegue(
    *,
    evenement: Evenement,
    by: User,
    email: str,
    prenom: str,
    nom: str,
    commune: Commune | None = None,
) -> Inscription:
    """Register a colleague (a portal user or not), from a commune of the registrant's
    territory when one is given."""
    if not can_register(by):
        raise NotAllowed("Votre compte ne permet pas d’inscrire des personnes au Club.")
    email = email.strip().lower()
    if commune is not None and not can_register_for_commune(by, commune):
        raise NotAllowed(f"{commune.nom} ne relève pas de votre territoire.")
    with transaction.atomic():
        participant = Participant.objects.select_for_update().filter(email=email).first()
        if participant is None:
            organisations = {
                h.organisation for h in by.habilitations_list if h.role == Role.PARTENAIRE
            }
            participant = Participant.objects.create(
                email=email,
                prenom=prenom.strip(),
                nom=nom.strip(),
                commune=commune,
                organisation=organisations.pop() if len(organisations) == 1 else None,
                origine=OrigineParticipant.COLLEGUE,
            )
        elif participant.user_id is None:
            participant.prenom = prenom.strip() or participant.prenom
            participant.nom = nom.strip() or participant.nom
            participant.commune = commune or participant.commune
            participant.save(update_fields=["prenom", "nom", "commune"])
        return inscrire(
            evenement=evenement, participant=participant, by=by, source=SourceInscription.COLLEGUE
        )


@transaction.atomic
def annuler_inscription(*, inscription: Inscription, by: User) -> Inscription:
    """Withdraw a registration; a freed place goes to the first person waiting."""
    if not can_cancel_inscription(by, inscription):
        raise NotAllowed("Vous ne pouvez pas annuler cette inscription.")
    locked_event = _lock_event(inscription.evenement)
    locked = Inscription.objects.select_for_update().get(pk=inscription.pk)
    if locked.etat == EtatInscription.ANNULEE:
        raise DomainError("Cette inscription est déjà annulée.")
    locked.etat = EtatInscription.ANNULEE
    locked._history_user = by
    locked._change_reason = "Annulation"
    locked.save(update_fields=["etat"])
    _notify(locked)
    _promote(locked_event)
    return locked


def notify_inscription(inscription_id: int) -> bool:
    """Tell the person the state of their registration, if they have not been told it yet.

    The state is claimed by a conditional update before the mail leaves: two runs of the job
    send one mail. If sending fails, the claim is undone so that a retry sends it."""
    from club.emails import send_state_email

    inscription = (
        Inscription.objects.select_related("evenement__thematique", "participant")
        .filter(pk=inscription_id)
        .first()
    )
    if inscription is None or inscription.etat == inscription.etat_notifie:
        return False
    previous = inscription.etat_notifie
    claimed = (
        Inscription.objects.filter(pk=inscription.pk, etat=inscription.etat)
        .exclude(etat_notifie=inscription.etat)
        .update(etat_notifie=inscription.etat)
    )
    if not claimed:
        return False
    if inscription.etat == EtatInscription.ANNULEE and not previous:
        return False  # withdrawn before anything was said: nothing to say
    try:
        send_state_email(inscription, previous)
    except Exception:
        Inscription.objects.filter(pk=inscription.pk, etat_notifie=inscription.etat).update(
            etat_notifie=previous
        )
        raise
    return True


def send_reminders(*, today: date) -> int:
    """The day before an event, remind each registered person once (Celery beat, daily)."""
    from club.emails import send_reminder

    tomorrow = today.toordinal() + 1
    candidates = (
        Inscription.objects.filter(
            etat=EtatInscription.INSCRIT,
            rappel_envoye_le__isnull=True,
            evenement__etat=EtatEvenement.PUBLIE,
            evenement__debut__gte=timezone.now(),
        )
        .select_related("evenement__thematique", "evenement__commune", "participant")
        .order_by("pk")
    )
    sent, failures = 0, []
    for inscription in candidates.iterator():
        if timezone.localtime(inscription.evenement.debut).date().toordinal() != tomorrow:
            continue
        claimed = Inscription.objects.filter(
            pk=inscription.pk, rappel_envoye_le__isnull=True
        ).update(rappel_envoye_le=timezone.now())
        if not claimed:
            continue  # another run took it
        try:
            send_reminder(inscription)
        except Exception as error:
            Inscription.objects.filter(pk=inscription.pk).update(rappel_envoye_le=None)
            failures.append(error)
            continue
        sent += 1
    if failures:
        raise failures[0]  # the task retries; the reminders already sent stay sent
    return sent


def places(evenement: Evenement) -> dict[str, int | None]:
    """Registered, waiting and free places of an event (one query)."""
    counts = evenement.inscriptions.aggregate(
        inscrits=Count("pk", filter=Q(etat=EtatInscription.INSCRIT)),
        attente=Count("pk", filter=Q(etat=EtatInscription.ATTENTE)),
    )
    libres = None
    if evenement.capacite is not None:
        libres = max(evenement.capacite - counts["inscrits"], 0)
    return {**counts, "libres": libres}
