"""Who may do what in the Club: pure predicates, reused by views, templates and the API.

The ANCT's network team runs the Club (events, attendance, cercles, audience). A préfecture
proposes local events in its département and withdraws its own proposals. Every signed-in
user of a commune, an EPCI, a préfecture or a partner registers themselves or colleagues.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from club.enums import EtatEvenement, EtatInscription
from club.models import is_club_team
from communes.enums import Role

if TYPE_CHECKING:
    from club.models import Evenement, Inscription
    from communes.models import Commune, Departement, User

# The roles whose people take part in the Club's events (the région's SGAR follows them).
ROLES_INSCRIPTION = (Role.COMMUNE, Role.EPCI, Role.PREFECTURE, Role.PARTENAIRE, Role.ANCT)

__all__ = ["is_club_team"]


def prefecture_departements(user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    return {
        h.departement_id
        for h in user.habilitations_list
        if h.role == Role.PREFECTURE and h.departement_id
    }


def can_create_evenement(user: User) -> bool:
    """The Club team creates events; a préfecture proposes local ones."""
    return is_club_team(user) or bool(prefecture_departements(user))


def can_propose_in(user: User, departement: Departement | None) -> bool:
    """May `user` hold an event for `departement` (None: a national event)?"""
    if is_club_team(user):
        return True
    return departement is not None and departement.pk in prefecture_departements(user)


def can_edit_evenement(user: User, evenement: Evenement) -> bool:
    if is_club_team(user):
        return evenement.etat != EtatEvenement.ANNULE
    # A préfecture edits its proposal until the ANCT publishes it.
    return evenement.etat == EtatEvenement.PROPOSE and can_propose_in(user, evenement.departement)


def can_publish_evenement(user: User, evenement: Evenement) -> bool:
    return is_club_team(user) and evenement.etat in (
        EtatEvenement.BROUILLON,
        EtatEvenement.PROPOSE,
    )


def can_cancel_evenement(user: User, evenement: Evenement) -> bool:
    if evenement.etat == EtatEvenement.ANNULE:
        return False
    return is_club_team(user) or (
        evenement.etat == EtatEvenement.PROPOSE and can_propose_in(user, evenement.departement)
    )


def can_register(user: User) -> bool:
    """Does `user` take part in the Club's events (and may register colleagues)?"""
    return user.is_authenticated and (user.is_superuser or user.has_role(*ROLES_INSCRIPTION))


def can_register_for_commune(user: User, commune: Commune) -> bool:
    """May `user` register a colleague as coming from `commune`? Its territory's people."""
    if is_club_team(user):
        return True
    return any(
        h.role in (Role.COMMUNE, Role.EPCI, Role.PREFECTURE) and h.perimetre.contains(commune)
        for h in user.habilitations_list
    )


def can_cancel_inscription(user: User, inscription: Inscription) -> bool:
    """The person, whoever registered them, or the Club team, until the event begins."""
    if inscription.etat == EtatInscription.ANNULEE or inscription.evenement.a_commence:
        return False
    return (
        is_club_team(user)
        or inscription.participant.user_id == user.pk
        or inscription.inscrit_par_id == user.pk
    )


def can_view_inscriptions(user: User, evenement: Evenement) -> bool:
    """The list of an event's registrations: the Club team, and the préfecture of a local
    event."""
    return is_club_team(user) or (
        evenement.departement_id is not None
        and evenement.departement_id in prefecture_departements(user)
    )


def can_record_presences(user: User, evenement: Evenement) -> bool:
    """Attendance is recorded by the Club team, once the event has begun."""
    return is_club_team(user) and evenement.etat == EtatEvenement.PUBLIE and evenement.a_commence


def can_manage_cercles(user: User) -> bool:
    return is_club_team(user)


def can_record_audience(user: User) -> bool:
    return is_club_team(user)
