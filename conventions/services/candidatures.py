"""Candidatures: deposit, instruction by the préfecture, decision of the comité régional."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from communes.models import Commune, User
from conventions.enums import CANDIDATURE, Avis, EtatCandidature
from conventions.models import Candidature
from conventions.permissions import can_create_candidature, may_fire
from conventions.services import noms
from pvd.exceptions import DomainError, NotAllowed
from pvd.workflows import apply_transition, log_creation

ETATS_ACTIFS = [EtatCandidature.DEPOSEE, EtatCandidature.INSTRUITE, EtatCandidature.RETENUE]


@transaction.atomic
def create_candidature(
    *, by: User, communes: Iterable[Commune], deposee_le: date, presentation: str = ""
) -> Candidature:
    """Record a candidature (déposée) of one or several communes of one département."""
    communes = list(communes)
    if not communes:
        raise DomainError("Choisissez au moins une commune.")
    if not can_create_candidature(by, communes):
        raise NotAllowed("Ces communes ne relèvent pas de votre préfecture.")
    if len({commune.departement_id for commune in communes}) > 1:
        raise DomainError("Les communes d’une candidature relèvent d’une même préfecture.")
    if deposee_le > timezone.localdate():
        raise DomainError("La date de dépôt ne peut pas être dans le futur.")
    deja = Commune.objects.filter(
        pk__in=[c.pk for c in communes], candidatures__etat__in=ETATS_ACTIFS
    ).distinct()
    if deja:
        raise DomainError(f"Candidature déjà déposée ou retenue pour : {noms(deja)}.")
    candidature = Candidature(deposee_le=deposee_le, presentation=presentation, created_by=by)
    candidature._history_user = by
    candidature.save()
    candidature.communes.set(communes)
    log_creation(
        candidature,
        by=by,
        name="deposer",
        label="Dépôt de la candidature",
        state=EtatCandidature.DEPOSEE,
        commentaire=presentation,
    )
    return candidature


def _check(by: User, candidature: Candidature, transition: str) -> None:
    if not may_fire(by, candidature, transition):
        raise NotAllowed(
            f"Votre rôle ne permet pas l’action « {CANDIDATURE[transition].label} » sur ce dossier."
        )


def _check_date(day: date, candidature: Candidature, what: str) -> None:
    if day > timezone.localdate():
        raise DomainError(f"La date {what} ne peut pas être dans le futur.")
    if candidature.deposee_le and day < candidature.deposee_le:
        raise DomainError(
            f"La date {what} ne peut pas précéder le dépôt de la candidature "
            f"({candidature.deposee_le:%d/%m/%Y})."
        )


def instruct_candidature(
    *,
    candidature: Candidature,
    by: User,
    avis: Avis,
    instruite_le: date | None = None,
    commentaire: str = "",
) -> Candidature:
    """The préfecture gives its avis (today, unless the date of the avis is given)."""
    _check(by, candidature, "instruire")
    instruite_le = instruite_le or timezone.localdate()
    _check_date(instruite_le, candidature, "d’instruction")
    return apply_transition(
        candidature,
        CANDIDATURE,
        "instruire",
        by=by,
        commentaire=commentaire,
        changes={"avis": avis, "instruite_le": instruite_le},
    )


def decide_candidature(
    *,
    candidature: Candidature,
    by: User,
    retenue: bool,
    decidee_le: date,
    commentaire: str = "",
) -> Candidature:
    """Record the comité régional's decision, taken on `decidee_le`."""
    transition = "retenir" if retenue else "ne_pas_retenir"
    _check(by, candidature, transition)
    _check_date(decidee_le, candidature, "de décision du comité régional")
    return apply_transition(
        candidature,
        CANDIDATURE,
        transition,
        by=by,
        commentaire=commentaire,
        changes={"decidee_le": decidee_le},
    )


@transaction.atomic
def record_decisions(
    *, by: User, decisions: dict[Candidature, bool], decidee_le: date, commentaire: str = ""
) -> list[Candidature]:
    """Several decisions of one comité régional at once: all are recorded, or none."""
    if not decisions:
        raise DomainError("Indiquez au moins une décision.")
    return [
        decide_candidature(
            candidature=candidature,
            by=by,
            retenue=retenue,
            decidee_le=decidee_le,
            commentaire=commentaire,
        )
        for candidature, retenue in decisions.items()
    ]


def withdraw_candidature(
    *, candidature: Candidature, by: User, commentaire: str = ""
) -> Candidature:
    _check(by, candidature, "retirer")
    return apply_transition(
        candidature,
        CANDIDATURE,
        "retirer",
        by=by,
        commentaire=commentaire,
        changes={"retiree_le": timezone.localdate()},
    )
