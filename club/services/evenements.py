"""Events and their workflow: created by the Club team or proposed by a préfecture, published,
cancelled (the registered people are told), corrected (they are told of a new time or place);
the modules of a session de formation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from club import tasks
from club.enums import (
    ETATS_ACTIFS,
    EVENEMENT,
    EtatEvenement,
    EtatInscription,
    TypeEvenement,
)
from club.models import (
    Cercle,
    Evenement,
    ModuleFormation,
)
from club.permissions import (
    can_cancel_evenement,
    can_create_evenement,
    can_edit_evenement,
    can_propose_in,
    is_club_team,
)
from club.services.inscriptions import _promote
from pvd.exceptions import DomainError, NotAllowed
from pvd.taches import planifier
from pvd.text import nombre
from pvd.workflows import apply_transition, lock_version, log_creation, save_versioned

if TYPE_CHECKING:
    from communes.models import Commune, Departement, Organisation, User


def _check_evenement(
    *,
    type: str,
    debut: datetime,
    fin: datetime,
    lien: str,
    lieu: str,
    semaine: Evenement | None,
    cercle: Cercle | None,
    capacite: int | None,
) -> None:
    if fin <= debut:
        raise DomainError("La fin de l’événement doit venir après son début.")
    if type == TypeEvenement.SEMAINE_THEMATIQUE:
        if semaine is not None:
            raise DomainError("Une semaine thématique ne peut pas faire partie d’une autre.")
    elif not (lien or lieu):
        raise DomainError("Indiquez le lien de connexion ou l’adresse de l’événement.")
    if semaine is not None:
        if semaine.type != TypeEvenement.SEMAINE_THEMATIQUE:
            raise DomainError(f"« {semaine} » n’est pas une semaine thématique.")
        if debut < semaine.debut or fin > semaine.fin:
            raise DomainError(
                f"L’événement doit avoir lieu pendant la semaine thématique « {semaine} »."
            )
    if type == TypeEvenement.REUNION_CERCLE and cercle is None:
        raise DomainError("Indiquez le cercle thématique dont c’est la réunion.")
    if type != TypeEvenement.REUNION_CERCLE and cercle is not None:
        raise DomainError("Seule une réunion de cercle thématique se rattache à un cercle.")
    if capacite is not None and capacite < 1:
        raise DomainError("Le nombre de places doit être d’au moins 1 (vide : sans limite).")


@transaction.atomic
def create_evenement(
    *,
    by: User,
    type: str,
    titre: str,
    thematique,
    debut: datetime,
    fin: datetime,
    lien: str = "",
    lieu: str = "",
    commune: Commune | None = None,
    departement: Departement | None = None,
    semaine: Evenement | None = None,
    cercle: Cercle | None = None,
    capacite: int | None = None,
    description: str = "",
    organisateurs: Iterable[Organisation] = (),
    copilotes: Iterable[Organisation] = (),
    communes_valorisees: Iterable[Commune] = (),
) -> Evenement:
    """A draft of the Club team, or a local event proposed by a préfecture (which the Club
    team then publishes)."""
    if not can_create_evenement(by):
        raise NotAllowed("Seule l’équipe du Club ou une préfecture crée des événements.")
    team = is_club_team(by)
    if not team and departement is None:
        raise DomainError("Indiquez le département de l’événement local que vous proposez.")
    if not can_propose_in(by, departement):
        raise NotAllowed("Vous ne pouvez proposer un événement que dans votre département.")
    _check_evenement(
        type=type,
        debut=debut,
        fin=fin,
        lien=lien,
        lieu=lieu,
        semaine=semaine,
        cercle=cercle,
        capacite=capacite,
    )
    etat = EtatEvenement.BROUILLON if team else EtatEvenement.PROPOSE
    evenement = Evenement(
        type=type,
        titre=titre,
        thematique=thematique,
        debut=debut,
        fin=fin,
        lien=lien,
        lieu=lieu,
        commune=commune,
        departement=departement,
        semaine=semaine,
        cercle=cercle,
        capacite=capacite,
        description=description,
        etat=etat,
        created_by=by,
    )
    save_versioned(evenement, by, "Création", new=True)
    evenement.organisateurs.set(organisateurs)
    evenement.copilotes.set(copilotes)
    evenement.communes_valorisees.set(communes_valorisees)
    log_creation(
        evenement,
        by=by,
        name="creer" if team else "proposer",
        label="Création" if team else "Proposition par la préfecture",
        state=etat,
    )
    return evenement


# The fields whose change the registered people are told about (with an updated calendar).
_CHAMPS_ANNONCES = ("debut", "fin", "lien", "lieu", "commune")


@transaction.atomic
def update_evenement(
    *,
    by: User,
    evenement: Evenement,
    expected_version: int | None = None,
    organisateurs: Iterable[Organisation] | None = None,
    copilotes: Iterable[Organisation] | None = None,
    communes_valorisees: Iterable[Commune] | None = None,
    **fields,
) -> Evenement:
    locked = lock_version(evenement, expected_version)
    if not can_edit_evenement(by, locked):
        raise NotAllowed("Vous ne pouvez pas modifier cet événement.")
    if "departement" in fields and not can_propose_in(by, fields["departement"]):
        raise NotAllowed("Vous ne pouvez proposer un événement que dans votre département.")
    if fields.get("type", locked.type) != locked.type and locked.inscriptions.exists():
        raise DomainError("Des personnes sont inscrites : le type de l’événement ne change plus.")
    before = {name: getattr(locked, name) for name in _CHAMPS_ANNONCES}
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_evenement(
        type=locked.type,
        debut=locked.debut,
        fin=locked.fin,
        lien=locked.lien,
        lieu=locked.lieu,
        semaine=locked.semaine,
        cercle=locked.cercle,
        capacite=locked.capacite,
    )
    inscrits = locked.inscriptions.filter(etat=EtatInscription.INSCRIT).count()
    if locked.capacite is not None and locked.capacite < inscrits:
        raise DomainError(
            f"{nombre(inscrits)} personnes sont déjà inscrites : le nombre de places ne peut "
            "pas descendre en dessous. Annulez d’abord des inscriptions."
        )
    if locked.type == TypeEvenement.SEMAINE_THEMATIQUE:
        outside = locked.evenements.filter(Q(debut__lt=locked.debut) | Q(fin__gt=locked.fin))
        if outside.exists():
            raise DomainError(
                "Des événements de cette semaine thématique auraient lieu en dehors de ses "
                "nouvelles dates : déplacez-les d’abord."
            )
    changed = [name for name in _CHAMPS_ANNONCES if getattr(locked, name) != before[name]]
    if {"debut", "fin"} & set(changed):
        # The reminder goes the day before the new date.
        locked.inscriptions.update(rappel_envoye_le=None)
    save_versioned(locked, by, "Modification")
    if organisateurs is not None:
        locked.organisateurs.set(organisateurs)
    if copilotes is not None:
        locked.copilotes.set(copilotes)
    if communes_valorisees is not None:
        locked.communes_valorisees.set(communes_valorisees)
    _promote(locked)
    if changed and locked.etat == EtatEvenement.PUBLIE and not locked.a_commence:
        ids = list(
            locked.inscriptions.filter(etat=EtatInscription.INSCRIT).values_list("pk", flat=True)
        )
        planifier(tasks.notify_event_changed, locked.pk, ids)
    return locked


@transaction.atomic
def publier_evenement(*, evenement: Evenement, by: User, expected_version: int | None = None):
    if not is_club_team(by):
        raise NotAllowed("Seule l’équipe du Club publie les événements.")
    return apply_transition(
        evenement,
        EVENEMENT,
        "publier",
        by=by,
        changes={"publie_le": timezone.now()},
        expected_version=expected_version,
    )


@transaction.atomic
def annuler_evenement(
    *, evenement: Evenement, by: User, motif: str, expected_version: int | None = None
) -> Evenement:
    """Cancel an event; its registered people are told, with a calendar cancellation."""
    if not can_cancel_evenement(by, evenement):
        raise NotAllowed("Vous ne pouvez pas annuler cet événement.")
    if not motif.strip():
        raise DomainError("Indiquez le motif de l’annulation : il est envoyé aux inscrits.")
    if evenement.etat == EtatEvenement.PUBLIE and evenement.a_commence:
        raise DomainError("Cet événement a déjà commencé : il ne peut plus être annulé.")
    was_published = evenement.etat == EtatEvenement.PUBLIE
    annule = apply_transition(
        evenement,
        EVENEMENT,
        "annuler",
        by=by,
        commentaire=motif,
        changes={"motif_annulation": motif.strip()},
        expected_version=expected_version,
    )
    if was_published:
        ids = list(annule.inscriptions.filter(etat__in=ETATS_ACTIFS).values_list("pk", flat=True))
        planifier(tasks.notify_event_cancelled, annule.pk, ids)
    return annule


@transaction.atomic
def save_module(
    *,
    by: User,
    session: Evenement,
    numero: int,
    titre: str,
    debut: datetime,
    fin: datetime,
    module: ModuleFormation | None = None,
) -> ModuleFormation:
    """Add (or correct) a module of a session de formation."""
    if not can_edit_evenement(by, session):
        raise NotAllowed("Vous ne pouvez pas modifier cette session de formation.")
    if session.type != TypeEvenement.FORMATION:
        raise DomainError("Seule une session de formation a des modules.")
    if fin <= debut:
        raise DomainError("La fin du module doit venir après son début.")
    if debut < session.debut or fin > session.fin:
        raise DomainError("Le module doit avoir lieu pendant la session de formation.")
    duplicate = session.modules.filter(numero=numero)
    if module is not None:
        duplicate = duplicate.exclude(pk=module.pk)
    if duplicate.exists():
        raise DomainError(f"La session a déjà un module n° {numero}.")
    module = module or ModuleFormation(session=session)
    module.numero, module.titre, module.debut, module.fin = numero, titre, debut, fin
    module.save()
    return module
