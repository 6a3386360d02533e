"""Writes of pillar 1: chefs de projet (their co-financing and their life), VTA, soutiens en
ingénierie, besoins exprimés. Keyword-only, atomic, French errors. The co-financing rules are
checked here with a message a person can act on, and again by the database."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from communes.models import EPCI, Commune, Organisation, User
from conventions.models import ConventionAdhesion
from financements.models import Action, Mesure
from financements.permissions import can_record_for
from financements.services import check_amount, require_communes
from ingenierie.enums import CHAMPS_COFINANCEMENT, POSTE, Cofinanceur, EtatPoste
from ingenierie.models import (
    TAUX_MAXIMAL,
    BesoinsExprimes,
    PosteChefDeProjet,
    PosteVTA,
    SoutienIngenierie,
)
from ingenierie.permissions import can_declare_besoins, can_manage_postes
from pvd.exceptions import DomainError, NotAllowed
from pvd.imports.ecriture import log_steps, save_in_bulk
from pvd.text import euros
from pvd.workflows import apply_transition, lock_version, log_creation, save_versioned

# Chefs de projet ----------------------------------------------------------------------------------


def check_cofinancement(
    *,
    cout_annuel: Decimal,
    subventions: dict[str, Decimal],
    opah_ru: Action | None,
    communes: list[Commune],
    opah_ru_eligibles: Collection[int] | None = None,
) -> None:
    """The two rules of a post's co-financing, with messages a person can act on.
    `opah_ru_eligibles`: the keys of the eligible OPAH-RU when the caller read them in bulk
    (an import); otherwise the database is asked."""
    check_amount(cout_annuel, "coût annuel du poste")
    if cout_annuel <= 0:
        raise DomainError("Indiquez le coût annuel du poste (un montant positif).")
    for cofinanceur, value in subventions.items():
        check_amount(value, f"montant de la subvention ({Cofinanceur(cofinanceur).label})")
    total = sum(subventions.values(), Decimal("0"))
    plafond = (cout_annuel * TAUX_MAXIMAL).quantize(Decimal("0.01"))
    if total > cout_annuel * TAUX_MAXIMAL:
        raise DomainError(
            f"La subvention totale ({euros(total)} par an) dépasse 75 % du coût annuel du poste "
            f"({euros(cout_annuel)}) : elle est plafonnée à {euros(plafond)}."
        )
    if subventions.get(Cofinanceur.ANAH):
        eligible = (
            opah_ru is not None
            and (
                opah_ru.pk in opah_ru_eligibles
                if opah_ru_eligibles is not None
                else Action.objects.opah_ru_eligibles().filter(pk=opah_ru.pk).exists()
            )
            and bool({c.pk for c in opah_ru.communes.all()} & {c.pk for c in communes})
        )
        if not eligible:
            raise DomainError(
                "L’Anah ne cofinance le poste que si le territoire mène une OPAH-RU en phase "
                "pré-opérationnelle ou opérationnelle : choisissez cette action (enregistrez-la "
                "d’abord parmi les actions de la commune), ou retirez la part de l’Anah."
            )


def _check_communes_du_poste(communes: list[Commune], adhesion: ConventionAdhesion | None) -> None:
    if len(communes) > 1 and adhesion is None:
        raise DomainError(
            "Un poste partagé l’est par les communes d’une même convention d’adhésion : "
            "choisissez-la."
        )
    if adhesion is not None:
        couvertes = {c.pk for c in adhesion.communes.all()}
        if not {c.pk for c in communes} <= couvertes:
            raise DomainError(f"Les communes du poste doivent être signataires de la {adhesion}.")


def _check_etat_du_poste(poste: PosteChefDeProjet) -> None:
    if poste.debut and poste.fin and poste.fin < poste.debut:
        raise DomainError("La fin de poste ne peut pas précéder la prise de poste.")
    if poste.etat == EtatPoste.OCCUPE and not (poste.titulaire_nom.strip() and poste.debut):
        raise DomainError("Un poste occupé a un titulaire et une date de prise de poste.")


def _check_employeur(employeur_commune: Commune | None, employeur_epci: EPCI | None) -> None:
    if (employeur_commune is None) == (employeur_epci is None):
        raise DomainError("Indiquez l’employeur du chef de projet : la commune ou l’EPCI.")


def _subventions(fields: dict, poste: PosteChefDeProjet | None = None) -> dict[str, Decimal]:
    return {
        code: fields.get(field, getattr(poste, field) if poste else Decimal("0"))
        for code, field in CHAMPS_COFINANCEMENT.items()
    }


@transaction.atomic
def create_poste(
    *,
    by: User,
    communes: Iterable[Commune],
    cout_annuel: Decimal,
    employeur_commune: Commune | None = None,
    employeur_epci: EPCI | None = None,
    adhesion: ConventionAdhesion | None = None,
    opah_ru: Action | None = None,
    **fields,
) -> PosteChefDeProjet:
    """A new post, « à recruter ». `fields`: the co-financers' shares (subvention_anct…),
    titulaire_nom, titulaire_email, debut, fin."""
    communes = require_communes(communes)
    if not can_manage_postes(by, communes):
        raise NotAllowed("Les chefs de projet sont enregistrés par la préfecture des communes.")
    _check_communes_du_poste(communes, adhesion)
    _check_employeur(employeur_commune, employeur_epci)
    check_cofinancement(
        cout_annuel=cout_annuel,
        subventions=_subventions(fields),
        opah_ru=opah_ru,
        communes=communes,
    )
    poste = PosteChefDeProjet(
        cout_annuel=cout_annuel,
        employeur_commune=employeur_commune,
        employeur_epci=employeur_epci,
        adhesion=adhesion,
        opah_ru=opah_ru,
        created_by=by,
        **fields,
    )
    _check_etat_du_poste(poste)
    save_versioned(poste, by, "Création", new=True)
    poste.communes.set(communes)
    log_creation(poste, by=by, name="creer", label="Poste créé", state=EtatPoste.A_RECRUTER)
    return poste


@transaction.atomic
def update_poste(
    *,
    by: User,
    poste: PosteChefDeProjet,
    expected_version: int | None = None,
    communes: Iterable[Commune] | None = None,
    **fields,
) -> PosteChefDeProjet:
    locked = lock_version(poste, expected_version)
    if not can_manage_postes(by, locked.communes.all()):
        raise NotAllowed("Ce poste ne relève pas de votre préfecture.")
    communes = require_communes(communes) if communes is not None else list(locked.communes.all())
    if not can_manage_postes(by, communes):
        raise NotAllowed("Ces communes ne relèvent pas de votre préfecture.")
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_communes_du_poste(communes, locked.adhesion)
    _check_employeur(locked.employeur_commune, locked.employeur_epci)
    _check_etat_du_poste(locked)
    check_cofinancement(
        cout_annuel=locked.cout_annuel,
        subventions=locked.subventions,
        opah_ru=locked.opah_ru,
        communes=communes,
    )
    save_versioned(locked, by, "Modification")
    locked.communes.set(communes)
    return locked


@transaction.atomic
def recruter(*, by: User, poste: PosteChefDeProjet, commentaire: str = "") -> PosteChefDeProjet:
    """Open the recruitment (of a new post, or of a vacant one)."""
    if not can_manage_postes(by, poste.communes.all()):
        raise NotAllowed("Ce poste ne relève pas de votre préfecture.")
    return apply_transition(poste, POSTE, "recruter", by=by, commentaire=commentaire)


@transaction.atomic
def pourvoir(
    *,
    by: User,
    poste: PosteChefDeProjet,
    titulaire_nom: str,
    debut: date,
    titulaire_email: str = "",
    commentaire: str = "",
) -> PosteChefDeProjet:
    if not can_manage_postes(by, poste.communes.all()):
        raise NotAllowed("Ce poste ne relève pas de votre préfecture.")
    if not titulaire_nom.strip():
        raise DomainError("Indiquez le nom du chef de projet recruté.")
    return apply_transition(
        poste,
        POSTE,
        "pourvoir",
        by=by,
        commentaire=commentaire,
        changes={
            "titulaire_nom": titulaire_nom.strip(),
            "titulaire_email": titulaire_email,
            "debut": debut,
            "fin": None,
        },
    )


@transaction.atomic
def liberer(
    *, by: User, poste: PosteChefDeProjet, fin: date, commentaire: str = ""
) -> PosteChefDeProjet:
    """The holder left: the post is vacant (the recruitment can open again)."""
    if not can_manage_postes(by, poste.communes.all()):
        raise NotAllowed("Ce poste ne relève pas de votre préfecture.")
    if poste.debut and fin < poste.debut:
        raise DomainError("La fin de poste ne peut pas précéder la prise de poste.")
    return apply_transition(
        poste, POSTE, "liberer", by=by, commentaire=commentaire, changes={"fin": fin}
    )


# VTA ----------------------------------------------------------------------------------------------


@transaction.atomic
def create_vta(
    *,
    by: User,
    poste: PosteChefDeProjet,
    titulaire_nom: str,
    debut: date,
    fin: date | None = None,
    mission: str = "",
) -> PosteVTA:
    if not can_manage_postes(by, poste.communes.all()):
        raise NotAllowed("Ce poste ne relève pas de votre préfecture.")
    if fin is not None and fin < debut:
        raise DomainError("La fin du volontariat ne peut pas précéder son début.")
    vta = PosteVTA(poste=poste, titulaire_nom=titulaire_nom, debut=debut, fin=fin, mission=mission)
    vta._history_user = by
    vta.save()
    return vta


# Soutiens en ingénierie ---------------------------------------------------------------------------


def _check_unite(montant_euros: Decimal | None, nombre_jours: Decimal | None) -> None:
    if (montant_euros is None) == (nombre_jours is None):
        raise DomainError(
            "Indiquez un montant en euros ou un nombre de jours (le Cerema compte en jours), "
            "l’un ou l’autre : ils ne s’additionnent pas."
        )
    if montant_euros is not None:
        check_amount(montant_euros, "montant du soutien")
        if montant_euros == 0:
            raise DomainError("Le montant du soutien doit être positif.")
    if nombre_jours is not None and nombre_jours <= 0:
        raise DomainError("Le nombre de jours doit être positif.")


def _check_dates(debut: date | None, fin: date | None) -> None:
    if debut and fin and fin < debut:
        raise DomainError("La fin ne peut pas précéder le début.")


@transaction.atomic
def create_soutien(
    *,
    by: User,
    organisation: Organisation,
    communes: Iterable[Commune],
    nature: str,
    objet: str,
    montant_euros: Decimal | None = None,
    nombre_jours: Decimal | None = None,
    mesure: Mesure | None = None,
    **fields,
) -> SoutienIngenierie:
    communes = require_communes(communes)
    if not can_record_for(by, organisation, communes):
        raise NotAllowed(
            f"Vous ne pouvez pas enregistrer de soutien de {organisation} pour ces communes."
        )
    _check_unite(montant_euros, nombre_jours)
    _check_dates(fields.get("debut"), fields.get("fin"))
    soutien = SoutienIngenierie(
        organisation=organisation,
        nature=nature,
        objet=objet,
        montant_euros=montant_euros,
        nombre_jours=nombre_jours,
        mesure=mesure,
        created_by=by,
        **fields,
    )
    save_versioned(soutien, by, "Création", new=True)
    soutien.communes.set(communes)
    return soutien


@transaction.atomic
def update_soutien(
    *,
    by: User,
    soutien: SoutienIngenierie,
    expected_version: int | None = None,
    communes: Iterable[Commune] | None = None,
    **fields,
) -> SoutienIngenierie:
    locked = lock_version(soutien, expected_version)
    if not can_record_for(by, locked.organisation, locked.communes.all()):
        raise NotAllowed(
            f"Ce soutien est celui de {locked.organisation} : seuls ses agents et la "
            "préfecture le modifient."
        )
    if "organisation" in fields and fields["organisation"] != locked.organisation:
        raise DomainError("Le partenaire d’un soutien ne change pas : créez-en un autre.")
    communes = require_communes(communes) if communes is not None else None
    if communes is not None and not can_record_for(by, locked.organisation, communes):
        raise NotAllowed("Ces communes ne relèvent pas de votre périmètre.")
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_unite(locked.montant_euros, locked.nombre_jours)
    _check_dates(locked.debut, locked.fin)
    save_versioned(locked, by, "Modification")
    if communes is not None:
        locked.communes.set(communes)
    return locked


# Besoins ------------------------------------------------------------------------------------------


@transaction.atomic
def save_besoins(
    *,
    by: User,
    commune: Commune,
    chef_de_projet: bool,
    etudes: bool,
    investissements: bool,
    precisions: str = "",
    adhesion: ConventionAdhesion | None = None,
) -> BesoinsExprimes:
    """Declare (or correct) the commune's needs; the history keeps every version."""
    if not can_declare_besoins(by, commune):
        raise NotAllowed("Les besoins sont déclarés par la commune, son EPCI ou sa préfecture.")
    besoins = BesoinsExprimes.objects.select_for_update().filter(
        commune=commune
    ).first() or BesoinsExprimes(commune=commune, created_by=by)
    new = besoins.pk is None
    besoins.chef_de_projet = chef_de_projet
    besoins.etudes = etudes
    besoins.investissements = investissements
    besoins.precisions = precisions
    if adhesion is None:
        adhesion = ConventionAdhesion.objects.filter(communes=commune).order_by("signee_le").first()
    besoins.adhesion = adhesion
    save_versioned(besoins, by, "Déclaration" if new else "Modification", new=new)
    return besoins


# Bulk imports (checked row by row by `ingenierie.imports`) ---------------------------------------


@dataclass
class ObjetImporte:
    """A post or a soutien of an import: new (no key) or existing with its fields set;
    `communes` None keeps its communes; `etapes` the workflow steps to log (posts)."""

    objet: PosteChefDeProjet | SoutienIngenierie
    communes: list[Commune] | None
    etapes: list[tuple[str, str, str, str]] = field(default_factory=list)


POSTE_FIELDS_IMPORTED = [
    "adhesion",
    "etat",
    "titulaire_nom",
    "titulaire_email",
    "employeur_commune",
    "employeur_epci",
    "debut",
    "fin",
    "cout_annuel",
    *CHAMPS_COFINANCEMENT.values(),
    "opah_ru",
]
SOUTIEN_FIELDS_IMPORTED = [
    "mesure",
    "nature",
    "objet",
    "montant_euros",
    "nombre_jours",
    "debut",
    "fin",
    "etat",
]


def _import(model, fields, lignes: list[ObjetImporte], *, by: User, raison: str, allowed):
    for ligne in lignes:
        communes = ligne.communes if ligne.communes is not None else ligne.objet.communes.all()
        if not allowed(ligne.objet, communes):
            raise NotAllowed(f"« {ligne.objet} » : ces communes ne relèvent pas de vous.")
    created = [ligne.objet for ligne in lignes if ligne.objet.pk is None]
    updated = [ligne.objet for ligne in lignes if ligne.objet.pk is not None]
    for obj in created:
        obj.created_by = by
    save_in_bulk(
        model,
        created=created,
        updated=updated,
        fields=fields,
        links={
            "communes": [
                (ligne.objet, [c.pk for c in ligne.communes])
                for ligne in lignes
                if ligne.communes is not None
            ]
        },
        by=by,
        reason=raison,
    )
    log_steps(
        [(ligne.objet, *etape) for ligne in lignes for etape in ligne.etapes],
        by=by,
        commentaire=raison,
    )
    return len(created), len(updated)


@transaction.atomic
def import_postes(*, by: User, lignes: list[ObjetImporte], raison: str) -> tuple[int, int]:
    """Write checked posts in bulk with their history and workflow log; (created, updated).
    The préfecture's right is checked again on every post (in memory)."""
    return _import(
        PosteChefDeProjet,
        POSTE_FIELDS_IMPORTED,
        lignes,
        by=by,
        raison=raison,
        allowed=lambda poste, communes: can_manage_postes(by, communes),
    )


@transaction.atomic
def import_soutiens(*, by: User, lignes: list[ObjetImporte], raison: str) -> tuple[int, int]:
    """Write checked soutiens in bulk with their history; (created, updated). The writer's
    right (the partner's organisation, or the préfecture) is checked again on every one."""
    return _import(
        SoutienIngenierie,
        SOUTIEN_FIELDS_IMPORTED,
        lignes,
        by=by,
        raison=raison,
        allowed=lambda soutien, communes: can_record_for(by, soutien.organisation, communes),
    )
