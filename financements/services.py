"""Writes of pillar 2: actions, financing lines (request, decision, payments), comités des
financeurs (decisions in bulk), labels, and the catalogue. Keyword-only, atomic, French errors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from communes.models import Commune, Departement, Organisation, User
from conventions.models import Orientation
from financements.enums import FINANCEMENT, Decideur, EtatFinancement, TypeLabel
from financements.models import (
    Action,
    ComiteFinanceurs,
    Financement,
    Label,
    Mesure,
    SourceFinancement,
    Versement,
)
from financements.permissions import (
    can_manage_actions,
    can_manage_catalogue,
    can_manage_comite,
    can_manage_labels,
    can_record_for,
)
from pvd.dates import check_not_future
from pvd.exceptions import DomainError, NotAllowed
from pvd.imports.ecriture import log_steps, save_in_bulk
from pvd.text import euros
from pvd.workflows import (
    apply_transition,
    lock_version,
    log_creation,
    save_versioned,
)


def require_communes(communes: Iterable[Commune]) -> list[Commune]:
    communes = list(communes)
    if not communes:
        raise DomainError("Indiquez au moins une commune bénéficiaire.")
    return communes


# Actions ------------------------------------------------------------------------------------------


def _check_action(communes: list[Commune], budget: Decimal | None) -> None:
    if budget is not None and budget < 0:
        raise DomainError("Le budget d’une action ne peut pas être négatif.")


@transaction.atomic
def create_action(
    *,
    by: User,
    communes: Iterable[Commune],
    titre: str,
    orientation: Orientation,
    type: str,
    etat: str,
    budget: Decimal | None = None,
    description: str = "",
) -> Action:
    communes = require_communes(communes)
    if not can_manage_actions(by, communes):
        raise NotAllowed("Ces communes ne relèvent pas de votre périmètre.")
    _check_action(communes, budget)
    action = Action(
        titre=titre,
        orientation=orientation,
        type=type,
        etat=etat,
        budget=budget,
        description=description,
        created_by=by,
    )
    save_versioned(action, by, "Création", new=True)
    action.communes.set(communes)
    return action


def _referenced(action: Action) -> bool:
    """Do other objects (financing lines, co-financed posts…) point to this action? Read from
    the model's reverse relations, so that apps above this one are counted without being
    imported."""
    return any(
        relation.related_model._base_manager.filter(**{relation.field.name: action}).exists()
        for relation in action._meta.related_objects
        if relation.one_to_many
    )


@transaction.atomic
def update_action(
    *,
    by: User,
    action: Action,
    expected_version: int | None = None,
    communes: Iterable[Commune] | None = None,
    **fields,
) -> Action:
    locked = lock_version(action, expected_version)
    if not can_manage_actions(by, locked.communes.all()):
        raise NotAllowed("Cette action ne relève pas de votre périmètre.")
    if communes is not None:
        communes = require_communes(communes)
        if not can_manage_actions(by, communes):
            raise NotAllowed("Ces communes ne relèvent pas de votre périmètre.")
    if "type" in fields and fields["type"] != locked.type and _referenced(locked):
        raise DomainError(
            "Le type de cette action ne peut plus changer : des financements ou un poste de "
            "chef de projet s’y rapportent. Créez une nouvelle action."
        )
    _check_action(communes or [], fields.get("budget"))
    for name, value in fields.items():
        setattr(locked, name, value)
    save_versioned(locked, by, "Modification")
    if communes is not None:
        locked.communes.set(communes)
    return locked


# Financing lines ----------------------------------------------------------------------------------


def _financeur(source: SourceFinancement | None, mesure: Mesure | None) -> Organisation:
    if (source is None) == (mesure is None):
        raise DomainError("Choisissez une source de financement ou une mesure, et une seule.")
    return source.financeur if source else mesure.partenaire


def check_amount(value: Decimal | None, what: str, *, required: bool = True) -> None:
    if value is None:
        if required:
            raise DomainError(f"Indiquez le {what}.")
        return
    if value < 0:
        raise DomainError(f"Le {what} ne peut pas être négatif.")
    if value != value.quantize(Decimal("0.01")):
        raise DomainError(f"Le {what} s’exprime en euros et centimes (deux décimales au plus).")


def _check_action_of(action: Action | None, communes: list[Commune]) -> None:
    if action is None:
        return
    action_communes = {c.pk for c in action.communes.all()}
    if not action_communes & {c.pk for c in communes}:
        raise DomainError("L’action financée doit concerner au moins une commune bénéficiaire.")


@transaction.atomic
def create_financement(
    *,
    by: User,
    communes: Iterable[Commune],
    objet: str,
    annee: int,
    montant_demande: Decimal,
    source: SourceFinancement | None = None,
    mesure: Mesure | None = None,
    action: Action | None = None,
    comite: ComiteFinanceurs | None = None,
) -> Financement:
    communes = require_communes(communes)
    financeur = _financeur(source, mesure)
    if not can_record_for(by, financeur, communes):
        raise NotAllowed(
            f"Vous ne pouvez pas enregistrer de financement de {financeur} pour ces communes."
        )
    check_amount(montant_demande, "montant demandé")
    _check_action_of(action, communes)
    if comite is not None:
        _check_comite(comite, communes)
    financement = Financement(
        source=source,
        mesure=mesure,
        financeur=financeur,
        action=action,
        objet=objet,
        annee=annee,
        montant_demande=montant_demande,
        comite=comite,
        created_by=by,
    )
    save_versioned(financement, by, "Demande", new=True)
    financement.communes.set(communes)
    log_creation(
        financement,
        by=by,
        name="demander",
        label="Demande enregistrée",
        state=EtatFinancement.DEMANDE,
    )
    return financement


def _check_writer(by: User, financement: Financement) -> None:
    if not can_record_for(by, financement.financeur, financement.communes.all()):
        raise NotAllowed(
            f"Cette ligne est celle de {financement.financeur} : seuls ses agents et la "
            "préfecture la modifient."
        )


@transaction.atomic
def update_financement(
    *,
    by: User,
    financement: Financement,
    expected_version: int | None = None,
    communes: Iterable[Commune] | None = None,
    **fields,
) -> Financement:
    """Change a request (its communes, object, year, amount requested, action funded) while
    it is not decided yet."""
    locked = lock_version(financement, expected_version)
    _check_writer(by, locked)
    if locked.etat != EtatFinancement.DEMANDE:
        raise DomainError(
            "Ce financement est décidé : seuls ses versements s’enregistrent désormais."
        )
    if communes is not None:
        communes = require_communes(communes)
        if not can_record_for(by, locked.financeur, communes):
            raise NotAllowed("Ces communes ne relèvent pas de votre périmètre.")
    if "montant_demande" in fields:
        check_amount(fields["montant_demande"], "montant demandé")
    _check_action_of(fields.get("action", locked.action), communes or list(locked.communes.all()))
    for name, value in fields.items():
        setattr(locked, name, value)
    save_versioned(locked, by, "Modification")
    if communes is not None:
        locked.communes.set(communes)
    return locked


def check_accord(
    montant_demande: Decimal, montant_accorde: Decimal | None, decide_le: date | None
) -> None:
    """The rules of a grant: an amount, at most the amount requested, decided in the past."""
    check_amount(montant_accorde, "montant accordé")
    if montant_accorde == 0:
        raise DomainError("Un financement accordé a un montant : sinon, refusez-le.")
    if montant_accorde > montant_demande:
        raise DomainError(
            f"Le montant accordé ({euros(montant_accorde)}) dépasse le montant demandé "
            f"({euros(montant_demande)}) : modifiez d’abord la demande."
        )
    check_not_future(decide_le, "de décision")


@transaction.atomic
def accorder(
    *,
    by: User,
    financement: Financement,
    montant_accorde: Decimal,
    decide_le: date,
    decide_par: str = Decideur.COMITE_SOURCE,
    comite: ComiteFinanceurs | None = None,
    commentaire: str = "",
) -> Financement:
    _check_writer(by, financement)
    check_accord(financement.montant_demande, montant_accorde, decide_le)
    return apply_transition(
        financement,
        FINANCEMENT,
        "accorder",
        by=by,
        commentaire=commentaire,
        changes={
            "montant_accorde": montant_accorde,
            "decide_le": decide_le,
            "decide_par": decide_par,
            "comite": comite or financement.comite,
        },
    )


@transaction.atomic
def refuser(
    *,
    by: User,
    financement: Financement,
    decide_le: date,
    decide_par: str = Decideur.COMITE_SOURCE,
    comite: ComiteFinanceurs | None = None,
    commentaire: str = "",
) -> Financement:
    _check_writer(by, financement)
    check_not_future(decide_le, "de décision")
    return apply_transition(
        financement,
        FINANCEMENT,
        "refuser",
        by=by,
        commentaire=commentaire,
        changes={
            "decide_le": decide_le,
            "decide_par": decide_par,
            "comite": comite or financement.comite,
        },
    )


@transaction.atomic
def record_versement(
    *, by: User, financement: Financement, verse_le: date, montant: Decimal
) -> Versement:
    """One payment of a granted line; the last one (paid = granted) makes it « versé »."""
    _check_writer(by, financement)
    check_amount(montant, "montant versé")
    if montant == 0:
        raise DomainError("Un versement a un montant.")
    check_not_future(verse_le, "du versement")
    locked = lock_version(financement, None)
    if locked.etat != EtatFinancement.ACCORDE:
        raise DomainError(
            "On ne verse que sur un financement accordé "
            f"(celui-ci est « {locked.get_etat_display()} »)."
        )
    if verse_le < locked.decide_le:
        raise DomainError("Un versement ne peut pas précéder la décision d’accorder.")
    reste = locked.montant_accorde - locked.montant_verse
    if montant > reste:
        raise DomainError(
            f"Ce versement ({euros(montant)}) dépasse ce qui reste à verser ({euros(reste)})."
        )
    versement = Versement(financement=locked, verse_le=verse_le, montant=montant, created_by=by)
    versement._history_user = by
    versement.save()
    locked.montant_verse += montant
    save_versioned(locked, by, f"Versement de {euros(montant)}")
    if locked.montant_verse == locked.montant_accorde:
        locked = apply_transition(locked, FINANCEMENT, "verser", by=by)
    return versement


@dataclass
class LigneImportee:
    """A financing line of an import, checked by `financements.imports`: a new one (no key) or
    an existing one whose fields were set; `communes` None keeps its communes; `etat_avant`
    is its state before (None for a new line)."""

    financement: Financement
    communes: list[Commune] | None
    etat_avant: str | None = None


FIELDS_IMPORTED = [
    "source",
    "mesure",
    "objet",
    "annee",
    "montant_demande",
    "montant_accorde",
    "etat",
    "decide_le",
    "decide_par",
]


@transaction.atomic
def import_financements(*, by: User, lignes: list[LigneImportee], raison: str) -> tuple[int, int]:
    """Write checked lines in bulk, with their history (author `by`, reason `raison`) and
    their workflow log; returns (created, updated). The writer's right is checked again on
    every line (in memory: the communes come with their département)."""
    for ligne in lignes:
        financement = ligne.financement
        communes = ligne.communes if ligne.communes is not None else financement.communes.all()
        if not can_record_for(by, financement.financeur, communes):
            raise NotAllowed(
                f"Vous ne pouvez pas enregistrer de financement de {financement.financeur} "
                "pour ces communes."
            )
    created = [ligne.financement for ligne in lignes if ligne.financement.pk is None]
    updated = [ligne.financement for ligne in lignes if ligne.financement.pk is not None]
    for financement in created:
        financement.created_by = by
    save_in_bulk(
        Financement,
        created=created,
        updated=updated,
        fields=FIELDS_IMPORTED,
        links={
            "communes": [
                (ligne.financement, [c.pk for c in ligne.communes])
                for ligne in lignes
                if ligne.communes is not None
            ]
        },
        by=by,
        reason=raison,
    )
    steps = []
    for ligne in lignes:
        financement, avant = ligne.financement, ligne.etat_avant
        if avant is None:
            steps.append((financement, "demander", "Demande enregistrée", "", "demande"))
            avant = EtatFinancement.DEMANDE
        if financement.etat != avant:
            name = "accorder" if financement.etat == EtatFinancement.ACCORDE else "refuser"
            steps.append((financement, name, FINANCEMENT[name].label, avant, financement.etat))
    log_steps(steps, by=by, commentaire=raison)
    return len(created), len(updated)


# Comités des financeurs ---------------------------------------------------------------------------


def _check_comite(comite: ComiteFinanceurs, communes: list[Commune]) -> None:
    if any(commune.departement_id != comite.departement_id for commune in communes):
        raise DomainError(f"Le {comite} ne décide que des demandes de communes de son département.")


@transaction.atomic
def create_comite(
    *, by: User, departement: Departement, date: date, intitule: str = ""
) -> ComiteFinanceurs:
    if not can_manage_comite(by, departement):
        raise NotAllowed("Le comité des financeurs est réuni par la préfecture du département.")
    comite = ComiteFinanceurs(departement=departement, date=date, intitule=intitule, created_by=by)
    save_versioned(comite, by, "Création", new=True)
    return comite


@transaction.atomic
def inscrire(*, by: User, comite: ComiteFinanceurs, financements: Iterable[Financement]) -> int:
    """Put requests on the agenda of a session."""
    if not can_manage_comite(by, comite.departement):
        raise NotAllowed("Le comité des financeurs est réuni par la préfecture du département.")
    count = 0
    for financement in financements:
        if financement.etat != EtatFinancement.DEMANDE:
            raise DomainError(f"« {financement} » est déjà décidé.")
        _check_comite(comite, list(financement.communes.all()))
        financement.comite = comite
        save_versioned(financement, by, f"Inscrit au {comite}")
        count += 1
    return count


@dataclass(frozen=True)
class Decision:
    financement: Financement
    accorde: bool
    montant_accorde: Decimal | None = None


@transaction.atomic
def decide_comite(
    *, by: User, comite: ComiteFinanceurs, decisions: Iterable[Decision], commentaire: str = ""
) -> int:
    """Record the session's decisions at once: all or none. The errors of every line are
    gathered in one message."""
    if not can_manage_comite(by, comite.departement):
        raise NotAllowed("Le comité des financeurs est réuni par la préfecture du département.")
    check_not_future(comite.date, "du comité")
    errors, count = [], 0
    for decision in decisions:
        financement = decision.financement
        if financement.comite_id != comite.pk:
            errors.append(f"« {financement} » n’est pas inscrit à ce comité.")
            continue
        try:
            with transaction.atomic():
                if decision.accorde:
                    accorder(
                        by=by,
                        financement=financement,
                        montant_accorde=decision.montant_accorde,
                        decide_le=comite.date,
                        decide_par=Decideur.COMITE_FINANCEURS,
                        comite=comite,
                        commentaire=commentaire,
                    )
                else:
                    refuser(
                        by=by,
                        financement=financement,
                        decide_le=comite.date,
                        decide_par=Decideur.COMITE_FINANCEURS,
                        comite=comite,
                        commentaire=commentaire,
                    )
        except DomainError as error:
            errors.append(f"« {financement} » : {error}")
        else:
            count += 1
    if errors:
        raise DomainError("Aucune décision n’a été enregistrée. " + " ".join(errors))
    comite.tenu = True
    save_versioned(comite, by, "Décisions enregistrées")
    return count


# Labels -------------------------------------------------------------------------------------------


@transaction.atomic
def create_label(
    *, by: User, commune: Commune, type: str, debut: date, nom: str = "", fin: date | None = None
) -> Label:
    if not can_manage_labels(by, [commune]):
        raise NotAllowed("Les labels sont enregistrés par l’ANCT et la préfecture.")
    if type not in TypeLabel.values:
        raise DomainError("Type de label inconnu.")
    if fin is not None and fin < debut:
        raise DomainError("La fin du label ne peut pas précéder son début.")
    label = Label(commune=commune, type=type, nom=nom, debut=debut, fin=fin)
    label._history_user = by
    label.save()
    return label


@transaction.atomic
def end_label(*, by: User, label: Label, fin: date) -> Label:
    if not can_manage_labels(by, [label.commune]):
        raise NotAllowed("Les labels sont enregistrés par l’ANCT et la préfecture.")
    if fin < label.debut:
        raise DomainError("La fin du label ne peut pas précéder son début.")
    label.fin = fin
    label._history_user = by
    label.save()
    return label


# The catalogue ------------------------------------------------------------------------------------


def _check_catalogue(by: User) -> None:
    if not can_manage_catalogue(by):
        raise NotAllowed("Le catalogue du programme est tenu par l’équipe nationale (ANCT).")


@transaction.atomic
def save_mesure(*, by: User, mesure: Mesure | None = None, **fields) -> Mesure:
    _check_catalogue(by)
    mesure = mesure or Mesure()
    for name, value in fields.items():
        setattr(mesure, name, value)
    mesure._history_user = by
    mesure.save()
    return mesure


@transaction.atomic
def save_source(
    *, by: User, source: SourceFinancement | None = None, **fields
) -> SourceFinancement:
    _check_catalogue(by)
    source = source or SourceFinancement()
    for name, value in fields.items():
        setattr(source, name, value)
    source._history_user = by
    source.save()
    return source
