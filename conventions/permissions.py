"""Who may act on a commune's journey: pure predicates, reused by views, templates and the API.

Seeing is `for_user` (outside the perimeter: 404); acting needs, in addition, a habilitation of
a role the workflow table allows whose territory covers every commune of the object (403).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from communes.enums import Role
from conventions.enums import CANDIDATURE, CONVENTION, EtatConvention

if TYPE_CHECKING:
    from communes.models import Commune, User
    from conventions.models import Avenant, BaseConvention, Candidature


def has_role_on(user: User, roles: Iterable[str], communes: Iterable[Commune]) -> bool:
    """Does one habilitation of `user`, of one of `roles`, cover all `communes`?"""
    communes = list(communes)
    if not user.is_authenticated or not communes:
        return False
    return any(
        habilitation.role in roles
        and all(habilitation.perimetre.contains(commune) for commune in communes)
        for habilitation in user.habilitations_list
    )


def files_candidatures(user: User) -> bool:
    """Does `user` record candidatures (and prepare conventions) somewhere? The pages that
    start one are offered to these users; the services check the communes."""
    return user.is_authenticated and user.has_role(*CONVENTION["signer"].roles)


def records_decisions(user: User) -> bool:
    """Does `user` record the comité régional's decisions somewhere?"""
    return user.is_authenticated and user.has_role(*CANDIDATURE["retenir"].roles)


def can_create_candidature(user: User, communes: Iterable[Commune]) -> bool:
    return has_role_on(user, {Role.PREFECTURE}, communes)


def may_fire(user: User, candidature: Candidature, transition: str) -> bool:
    """Does `user` hold a role allowed to fire `transition` on these communes (whatever the
    state: the workflow engine checks it on the locked row)?"""
    return has_role_on(user, CANDIDATURE[transition].roles, candidature.communes.all())


def can_fire(user: User, candidature: Candidature, transition: str) -> bool:
    """Is the action offered now: allowed to `user`, and possible in the current state?"""
    return candidature.etat in CANDIDATURE[transition].sources and may_fire(
        user, candidature, transition
    )


def can_manage_conventions(user: User, communes: Iterable[Commune]) -> bool:
    """Create, edit and sign conventions and avenants of these communes."""
    return has_role_on(user, CONVENTION["signer"].roles, communes)


def can_edit_convention(user: User, convention: BaseConvention | Avenant) -> bool:
    return convention.etat == EtatConvention.EN_PREPARATION and can_manage_conventions(
        user, _communes_of(convention)
    )


def can_add_avenant(user: User, convention: BaseConvention) -> bool:
    return convention.etat == EtatConvention.SIGNEE and can_manage_conventions(
        user, convention.communes.all()
    )


def _communes_of(obj) -> Iterable[Commune]:
    convention = getattr(obj, "convention", obj)
    return convention.communes.all()
