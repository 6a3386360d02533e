"""Cercles thématiques and their members; the audience figures of the Club's channels."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from club.enums import (
    OrigineParticipant,
)
from club.models import (
    Cercle,
    MembreCercle,
    MesureAudience,
    Participant,
)
from club.permissions import (
    can_manage_cercles,
    can_record_audience,
)
from pvd.dates import check_not_future
from pvd.exceptions import DomainError, NotAllowed
from pvd.workflows import lock_version, save_versioned

if TYPE_CHECKING:
    from communes.models import Commune, Organisation, User


def _check_cercle(debut: date, fin: date) -> None:
    if fin <= debut:
        raise DomainError("La fin du cercle doit venir après son début.")


@transaction.atomic
def create_cercle(
    *,
    by: User,
    titre: str,
    thematique,
    debut: date,
    fin: date,
    description: str = "",
    copilotes: Iterable[Organisation] = (),
) -> Cercle:
    if not can_manage_cercles(by):
        raise NotAllowed("Seule l’équipe du Club anime les cercles thématiques.")
    _check_cercle(debut, fin)
    cercle = Cercle(
        titre=titre,
        thematique=thematique,
        debut=debut,
        fin=fin,
        description=description,
        created_by=by,
    )
    save_versioned(cercle, by, "Création", new=True)
    cercle.copilotes.set(copilotes)
    return cercle


@transaction.atomic
def update_cercle(
    *,
    by: User,
    cercle: Cercle,
    expected_version: int | None = None,
    copilotes: Iterable[Organisation] | None = None,
    **fields,
) -> Cercle:
    if not can_manage_cercles(by):
        raise NotAllowed("Seule l’équipe du Club anime les cercles thématiques.")
    locked = lock_version(cercle, expected_version)
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_cercle(locked.debut, locked.fin)
    save_versioned(locked, by, "Modification")
    if copilotes is not None:
        locked.copilotes.set(copilotes)
    return locked


@transaction.atomic
def add_membre(
    *,
    by: User,
    cercle: Cercle,
    commune: Commune,
    email: str,
    prenom: str,
    nom: str,
    fonction: str = "",
    depuis: date,
) -> MembreCercle:
    """An élu joins the cercle (as a participant of the Club, created if unknown)."""
    if not can_manage_cercles(by):
        raise NotAllowed("Seule l’équipe du Club anime les cercles thématiques.")
    if not cercle.debut <= depuis <= cercle.fin:
        raise DomainError("La date d’entrée doit tomber pendant la période du cercle.")
    email = email.strip().lower()
    participant, _ = Participant.objects.get_or_create(
        email=email,
        defaults={
            "prenom": prenom.strip(),
            "nom": nom.strip(),
            "commune": commune,
            "origine": OrigineParticipant.COLLEGUE,
        },
    )
    if cercle.membres.filter(participant=participant).exists():
        raise DomainError(f"{participant} est déjà membre de ce cercle.")
    membre = MembreCercle(
        cercle=cercle,
        participant=participant,
        commune=commune,
        fonction=fonction,
        depuis=depuis,
    )
    membre._history_user = by
    membre.save()
    return membre


@transaction.atomic
def end_membre(*, by: User, membre: MembreCercle, le: date) -> MembreCercle:
    """An élu leaves the cercle on `le`."""
    if not can_manage_cercles(by):
        raise NotAllowed("Seule l’équipe du Club anime les cercles thématiques.")
    if le < membre.depuis:
        raise DomainError("La date de sortie ne peut pas précéder la date d’entrée.")
    membre.jusqu_au = le
    membre._history_user = by
    membre.save(update_fields=["jusqu_au"])
    return membre


@transaction.atomic
def record_audience(*, by: User, canal: str, date: date, valeur: int) -> MesureAudience:
    """Type the audience of a channel on a date (a second figure for the same date corrects
    the first; the history keeps both)."""
    if not can_record_audience(by):
        raise NotAllowed("Seule l’équipe du Club saisit les chiffres d’audience.")
    check_not_future(date, "du relevé")
    if valeur < 0:
        raise DomainError("Un nombre d’abonnés ou de destinataires ne peut pas être négatif.")
    mesure = MesureAudience.objects.select_for_update().filter(canal=canal, date=date).first()
    mesure = mesure or MesureAudience(canal=canal, date=date)
    mesure.valeur = valeur
    mesure.saisi_par = by
    mesure.saisi_le = timezone.now()
    mesure._history_user = by
    mesure.save()
    return mesure
