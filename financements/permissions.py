"""Who may write what in pillar 2: pure predicates, reused by views, templates and the API.

Seeing is `for_user` (outside the perimeter: 404). Writing a financing line needs a préfecture
habilitation covering its communes, or a partner habilitation *of the line's organisation*
covering them: another partner's line is visible but answers 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from communes.enums import Role
from conventions.permissions import has_role_on

if TYPE_CHECKING:
    from communes.models import Commune, Departement, Organisation, User
    from financements.models import Action, Financement


def is_partner_for(user: User, organisation: Organisation, communes: Iterable[Commune]) -> bool:
    """Does one partner habilitation of `user`, of `organisation`, cover all `communes`?"""
    communes = list(communes)
    if not user.is_authenticated or not communes:
        return False
    return any(
        habilitation.role == Role.PARTENAIRE
        and habilitation.organisation_id == organisation.pk
        and all(habilitation.perimetre.contains(commune) for commune in communes)
        for habilitation in user.habilitations_list
    )


def can_record_for(user: User, organisation: Organisation, communes: Iterable[Commune]) -> bool:
    """Record or edit a line of `organisation` for these communes: their préfecture, or a
    partner user of that organisation whose area covers them."""
    communes = list(communes)
    return has_role_on(user, {Role.PREFECTURE}, communes) or is_partner_for(
        user, organisation, communes
    )


def records_lines(user: User) -> bool:
    """Does `user` record financing lines somewhere (préfecture or partner)? The pages that
    start one are offered to these users; the services check the communes."""
    return user.is_authenticated and user.has_role(Role.PREFECTURE, Role.PARTENAIRE)


def partner_organisations(user: User) -> set[int]:
    """The organisations `user` records lines for as a partner."""
    if not user.is_authenticated:
        return set()
    return {
        habilitation.organisation_id
        for habilitation in user.habilitations_list
        if habilitation.role == Role.PARTENAIRE
    }


def can_edit_financement(user: User, financement: Financement) -> bool:
    return can_record_for(user, financement.financeur, financement.communes.all())


def can_manage_actions(user: User, communes: Iterable[Commune]) -> bool:
    """Actions are declared by the commune (or its EPCI) and by its préfecture."""
    return has_role_on(user, {Role.PREFECTURE, Role.COMMUNE, Role.EPCI}, communes)


def declares_actions(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.PREFECTURE, Role.COMMUNE, Role.EPCI)


def can_edit_action(user: User, action: Action) -> bool:
    return can_manage_actions(user, action.communes.all())


def can_manage_labels(user: User, communes: Iterable[Commune]) -> bool:
    """Labels (France Services, Micro-Folies…) are national programmes: the ANCT and the
    préfecture record them."""
    return has_role_on(user, {Role.ANCT, Role.PREFECTURE}, communes)


def can_manage_catalogue(user: User) -> bool:
    """The catalogue (organisations, mesures, sources) is the ANCT's."""
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.ANCT))


def can_manage_comite(user: User, departement: Departement) -> bool:
    """A comité des financeurs is convened by the préfecture of its département."""
    if not user.is_authenticated:
        return False
    return any(
        habilitation.role == Role.PREFECTURE and habilitation.departement_id == departement.pk
        for habilitation in user.habilitations_list
    )


def convenes_comites(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.PREFECTURE)
