"""Who may write what in pillar 1: pure predicates, reused by views, templates and the API.

The préfecture records the chefs de projet and their VTA; a soutien en ingénierie is recorded
by its partner (or the préfecture); the commune (or its EPCI) and the préfecture declare the
besoins.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from communes.enums import Role
from conventions.permissions import has_role_on
from financements.permissions import can_record_for

if TYPE_CHECKING:
    from communes.models import Commune, User
    from ingenierie.models import PosteChefDeProjet, SoutienIngenierie


def can_manage_postes(user: User, communes: Iterable[Commune]) -> bool:
    return has_role_on(user, {Role.PREFECTURE}, communes)


def records_postes(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.PREFECTURE)


def can_edit_poste(user: User, poste: PosteChefDeProjet) -> bool:
    return can_manage_postes(user, poste.communes.all())


def can_edit_soutien(user: User, soutien: SoutienIngenierie) -> bool:
    return can_record_for(user, soutien.organisation, soutien.communes.all())


def can_declare_besoins(user: User, commune: Commune) -> bool:
    return has_role_on(user, {Role.PREFECTURE, Role.COMMUNE, Role.EPCI}, [commune])
