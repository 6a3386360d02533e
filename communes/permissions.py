"""Who may do what: pure predicates, reused by views, templates and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from communes.enums import ROLES_INVITABLES, Role
from communes.models import EPCI, Commune, Departement, Habilitation, Invitation, Region
from communes.perimetre import Perimetre

if TYPE_CHECKING:
    from communes.models import User


def invitable_roles(user: User) -> list[Role]:
    """The roles `user` may give by invitation, in the order of `Role`."""
    if not user.is_authenticated:
        return []
    granted = {
        role
        for habilitation in user.habilitations_list
        for role in ROLES_INVITABLES.get(habilitation.role, ())
    }
    return [role for role in Role if role in granted]


def can_invite(user: User, cible: Habilitation) -> bool:
    """May `user` give the (unsaved) habilitation `cible`? Its role must be one `user` may give
    and its territory must lie inside the territory of one of `user`'s habilitations."""
    if not user.is_authenticated:
        return False
    return any(
        cible.role in ROLES_INVITABLES.get(habilitation.role, ())
        and covers(habilitation.perimetre, cible.territoire)
        for habilitation in user.habilitations_list
    )


def can_resend_invitation(user: User, invitation: Invitation) -> bool:
    return invitation.accepted_at is None and can_invite(user, invitation.habilitation)


def covers(perimetre: Perimetre, territoire: Region | Departement | EPCI | Commune | None) -> bool:
    """Does `perimetre` cover `territoire` (None: all France)?

    An EPCI counts as covered when one of its communes is: some straddle two départements and
    either préfecture may invite its users.
    """
    if perimetre.national:
        return True
    match territoire:
        case Region():
            return territoire.code in perimetre.regions
        case Departement():
            return (
                territoire.code in perimetre.departements
                or territoire.region_id in perimetre.regions
            )
        case EPCI():
            return (
                territoire.siren in perimetre.epcis
                or Commune.objects.filter(perimetre.communes_q(), epci=territoire).exists()
            )
        case Commune():
            return Commune.objects.filter(perimetre.communes_q(), pk=territoire.pk).exists()
    return False
