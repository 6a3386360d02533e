"""Who may ask for a note de suivi (pure predicates, reused by the services, views and
templates). Who may *read* one is `NoteSuiviQuerySet.for_user`."""

from __future__ import annotations

from communes.enums import Role
from communes.perimetre import Perimetre


def is_national(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.ANCT))


def perimetres_demandables(user) -> list[str] | None:
    """The perimeters (as parameters: "FR", "region:27", "departement:58") `user` may ask a
    note for: None means every one (the ANCT), [] none at all."""
    if not user.is_authenticated:
        return []
    if is_national(user):
        return None
    params: list[str] = []
    for habilitation in user.habilitations_list:
        if habilitation.role == Role.PREFECTURE:
            params.append(f"departement:{habilitation.departement_id}")
        elif habilitation.role == Role.REGION:
            params.append(f"region:{habilitation.region_id}")
    return sorted(set(params))


def can_request_notes(user) -> bool:
    """Does `user` see the form at all? (The ANCT, a préfecture, a région.)"""
    return perimetres_demandables(user) != []


def can_request_note(user, perimetre: Perimetre) -> bool:
    """The ANCT for any perimeter; a préfecture for its département; a région for its
    région. Nobody else."""
    demandables = perimetres_demandables(user)
    if demandables is None:
        return True
    try:
        return perimetre.param in demandables
    except ValueError:  # not a single territory
        return False
