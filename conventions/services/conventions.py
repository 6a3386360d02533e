"""Conventions d'adhésion and conventions-cadres valant ORT, their avenants, ORT outside a
convention-cadre. Editing is refused when someone else saved in between (optimistic
concurrency: every object carries a version); signing is a workflow transition."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Max

from communes.models import Commune, Organisation, User
from conventions.enums import CONVENTION, EtatConvention, OrigineOrt, PresidenceComite
from conventions.models import (
    Avenant,
    BaseConvention,
    ConventionAdhesion,
    ConventionCadre,
    Dossier,
    Orientation,
    OrtHorsCadre,
)
from conventions.permissions import can_manage_conventions
from conventions.services import noms
from pvd.dates import check_not_future
from pvd.exceptions import DomainError, NotAllowed
from pvd.historique import changes_between
from pvd.workflows import ConflictError, apply_transition, log_creation


def _check_manager(by: User, communes: list[Commune]) -> None:
    if not can_manage_conventions(by, communes):
        raise NotAllowed("Ces communes ne relèvent pas de votre préfecture.")


def describe_changes(obj, since_version: int) -> list[tuple[str, str, str]]:
    """What changed in `obj` since its version `since_version`: (field, before, after)."""
    old = obj.history.filter(version=since_version).order_by("-history_date").first()
    new = obj.history.order_by("-history_date").first()
    if old is None or new is None:
        return []
    return changes_between(new, old, type(obj))


def _lock_for_edit(convention: BaseConvention, expected_version: int) -> BaseConvention:
    locked = type(convention).objects.select_for_update(of=("self",)).get(pk=convention.pk)
    if locked.version != expected_version:
        changes = describe_changes(locked, expected_version)
        last = locked.history.order_by("-history_date").first()
        author = last.history_user if last and last.history_user else "quelqu’un d’autre"
        raise ConflictError(
            f"{locked} a été modifiée par {author} pendant que vous la modifiiez : vos "
            "changements n’ont pas été enregistrés. Voici ce qui a changé ; vérifiez le "
            "formulaire, qui garde votre saisie, puis enregistrez à nouveau.",
            changes,
        )
    if locked.etat != EtatConvention.EN_PREPARATION:
        raise DomainError(f"{locked} est signée : modifiez-la par un avenant.")
    return locked


def _save_edit(convention: BaseConvention, by: User, reason: str) -> None:
    """Save with the next version, before the many-to-many relations are set: each `set()`
    writes a history row of its own, which must carry the new version."""
    convention.version += 1
    convention._history_user = by
    convention._change_reason = reason
    convention.save()


# Conventions d'adhésion ---------------------------------------------------------------------


def _validate_adhesion_communes(communes: list[Commune], exclude: ConventionAdhesion | None):
    if not communes:
        raise DomainError("Une convention d’adhésion compte au moins une commune lauréate.")
    if len({commune.departement_id for commune in communes}) > 1:
        raise DomainError("Les communes d’une convention relèvent d’un même préfet.")
    codes = [c.pk for c in communes]
    non_laureates = Dossier.objects.filter(pk__in=codes).exclude(
        pk__in=Dossier.objects.pvd().values("pk")
    )
    if non_laureates:
        raise DomainError(
            f"Seules les communes lauréates signent une convention d’adhésion : "
            f"{noms(non_laureates)} ne l’est pas."
        )
    autres = ConventionAdhesion.objects.filter(communes__in=codes)
    if exclude is not None:
        autres = autres.exclude(pk=exclude.pk)
    deja = Commune.objects.filter(pk__in=codes, conventions_adhesion__in=autres).distinct()
    if deja:
        raise DomainError(f"Déjà dans une autre convention d’adhésion : {noms(deja)}.")


@transaction.atomic
def create_convention_adhesion(
    *,
    by: User,
    communes: Iterable[Commune],
    cosignataire_conseil_departemental: bool = False,
    cosignataire_conseil_regional: bool = False,
    partenaires: Iterable[Organisation] = (),
    presidence_comite: PresidenceComite | str = "",
    president_comite: str = "",
) -> ConventionAdhesion:
    communes = list(communes)
    _check_manager(by, communes)
    _validate_adhesion_communes(communes, exclude=None)
    convention = ConventionAdhesion(
        cosignataire_conseil_departemental=cosignataire_conseil_departemental,
        cosignataire_conseil_regional=cosignataire_conseil_regional,
        presidence_comite=presidence_comite,
        president_comite=president_comite,
        created_by=by,
    )
    convention._history_user = by
    convention.save()
    convention.communes.set(communes)
    convention.partenaires.set(partenaires)
    return convention


@transaction.atomic
def update_convention_adhesion(
    *,
    convention: ConventionAdhesion,
    by: User,
    expected_version: int,
    communes: Iterable[Commune],
    cosignataire_conseil_departemental: bool,
    cosignataire_conseil_regional: bool,
    partenaires: Iterable[Organisation],
    presidence_comite: PresidenceComite | str,
    president_comite: str,
) -> ConventionAdhesion:
    """Save the edit form; refused (ConflictError) if someone saved since `expected_version`."""
    communes = list(communes)
    _check_manager(by, [*convention.communes.all(), *communes])
    locked = _lock_for_edit(convention, expected_version)
    _validate_adhesion_communes(communes, exclude=locked)
    locked.cosignataire_conseil_departemental = cosignataire_conseil_departemental
    locked.cosignataire_conseil_regional = cosignataire_conseil_regional
    locked.presidence_comite = presidence_comite
    locked.president_comite = president_comite
    _save_edit(locked, by, "Modification")
    locked.communes.set(communes)
    locked.partenaires.set(partenaires)
    return locked


# Conventions-cadres valant ORT --------------------------------------------------------------


def _validate_cadre_communes(
    adhesion: ConventionAdhesion, communes: list[Commune], exclude: ConventionCadre | None
):
    if not adhesion.est_signee:
        raise DomainError("La convention-cadre complète une convention d’adhésion signée.")
    if not communes:
        raise DomainError("Une convention-cadre compte au moins une commune.")
    hors = set(communes) - set(adhesion.communes.all())
    if hors:
        raise DomainError(f"Ces communes ne sont pas dans la convention d’adhésion : {noms(hors)}.")
    autres = ConventionCadre.objects.filter(communes__in=communes)
    if exclude is not None:
        autres = autres.exclude(pk=exclude.pk)
    deja = Commune.objects.filter(
        pk__in=[c.pk for c in communes], conventions_cadres__in=autres
    ).distinct()
    if deja:
        raise DomainError(f"Déjà dans une autre convention-cadre : {noms(deja)}.")


@transaction.atomic
def create_convention_cadre(
    *,
    by: User,
    adhesion: ConventionAdhesion,
    communes: Iterable[Commune] | None = None,
    orientations: Iterable[Orientation] = (),
) -> ConventionCadre:
    """Start the convention-cadre completing `adhesion` (all its communes by default)."""
    # Validate the adhésion as it is now, not as the caller last read it.
    adhesion = ConventionAdhesion.objects.select_for_update(of=("self",)).get(pk=adhesion.pk)
    communes = list(adhesion.communes.all() if communes is None else communes)
    _check_manager(by, communes)
    _validate_cadre_communes(adhesion, communes, exclude=None)
    cadre = ConventionCadre(adhesion=adhesion, created_by=by)
    cadre._history_user = by
    cadre.save()
    cadre.communes.set(communes)
    cadre.orientations.set(orientations)
    return cadre


@transaction.atomic
def update_convention_cadre(
    *,
    cadre: ConventionCadre,
    by: User,
    expected_version: int,
    communes: Iterable[Commune],
    orientations: Iterable[Orientation],
) -> ConventionCadre:
    communes = list(communes)
    _check_manager(by, [*cadre.communes.all(), *communes])
    locked = _lock_for_edit(cadre, expected_version)
    _validate_cadre_communes(locked.adhesion, communes, exclude=locked)
    _save_edit(locked, by, "Modification")
    locked.communes.set(communes)
    locked.orientations.set(orientations)
    return locked


# Signature, avenants ------------------------------------------------------------------------


def sign_convention(
    *,
    convention: BaseConvention | Avenant,
    by: User,
    signee_le: date,
    document,
    expected_version: int | None = None,
) -> BaseConvention | Avenant:
    """Sign a convention or an avenant, with its signed PDF. A second click finds it signed
    and is refused: it signs once and logs once."""
    convention = type(convention).objects.get(pk=convention.pk)  # as it is now
    parent = convention.convention if isinstance(convention, Avenant) else convention
    _check_manager(by, list(parent.communes.all()))
    if not document:
        raise DomainError("Joignez le document signé (PDF).")
    check_not_future(signee_le, "de signature")
    if isinstance(convention, Avenant) and signee_le < parent.signee_le:
        raise DomainError("Un avenant ne peut pas être signé avant la convention qu’il modifie.")
    if isinstance(convention, ConventionCadre) and signee_le < convention.adhesion.signee_le:
        raise DomainError(
            "La convention-cadre ne peut pas être signée avant la convention d’adhésion "
            f"({convention.adhesion.signee_le:%d/%m/%Y})."
        )
    return apply_transition(
        convention,
        CONVENTION,
        "signer",
        by=by,
        changes={"signee_le": signee_le, "document": document},
        expected_version=expected_version,
    )


@transaction.atomic
def create_avenant(*, by: User, convention: BaseConvention, objet: str) -> Avenant:
    _check_manager(by, list(convention.communes.all()))
    locked = type(convention).objects.select_for_update(of=("self",)).get(pk=convention.pk)
    if not locked.est_signee:
        raise DomainError("Seule une convention signée se modifie par avenant.")
    parent = {"adhesion": locked} if isinstance(locked, ConventionAdhesion) else {"cadre": locked}
    numero = (locked.avenants.aggregate(n=Max("numero"))["n"] or 0) + 1
    avenant = Avenant(numero=numero, objet=objet, created_by=by, **parent)
    avenant._history_user = by
    avenant.save()
    log_creation(
        avenant,
        by=by,
        name="creer",
        label="Création de l’avenant",
        state=EtatConvention.EN_PREPARATION,
        commentaire=objet,
    )
    return avenant


@transaction.atomic
def record_ort_hors_cadre(
    *, by: User, commune: Commune, signee_le: date, origine: OrigineOrt = OrigineOrt.ANTERIEURE
) -> OrtHorsCadre:
    """A commune already in an ORT before the programme keeps it, with its date and origin."""
    _check_manager(by, [commune])
    check_not_future(signee_le, "de l’ORT")
    if OrtHorsCadre.objects.filter(commune=commune).exists():
        raise DomainError(f"Une ORT est déjà enregistrée pour {commune.nom}.")
    ort = OrtHorsCadre(commune=commune, signee_le=signee_le, origine=origine, created_by=by)
    ort._history_user = by
    ort.save()
    return ort
