"""Writes of the `communes` app: the territories import, invitations, personal API tokens.

Import of the official territories from the npm package `@etalab/decoupage-administratif`:
the package ships the COG (code officiel géographique) as JSON. The import synchronises the
tables with it: rows are created or updated in bulk, a territory that left the COG is marked
obsolete (never deleted, conventions point to it), and a second run with the same files changes
nothing. Everything happens in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import knox_settings

from communes import tasks
from communes.enums import Role
from communes.models import (
    EPCI,
    CodePostal,
    CollectiviteOutreMer,
    Commune,
    Departement,
    DureeJeton,
    Habilitation,
    ImportTerritoires,
    Invitation,
    JetonAPI,
    Organisation,
    Region,
    User,
)
from communes.permissions import can_invite, can_resend_invitation
from pvd.exceptions import DomainError, NotAllowed
from pvd.taches import planifier
from pvd.text import normalize_search

FICHIERS = ("regions.json", "departements.json", "epci.json", "communes.json")
ZONES_REGIONS_ET_DEPARTEMENTS = {"metro", "drom"}
BATCH_SIZE = 2000


@dataclass
class Bilan:
    """What the import did to one kind of territory."""

    libelle: str
    crees: int = 0
    modifies: int = 0
    rendus_obsoletes: int = 0
    actuels: int = 0


@dataclass
class RapportImport:
    version: str
    empreinte: str
    bilans: list[Bilan] = field(default_factory=list)
    codes_postaux_crees: int = 0
    codes_postaux_supprimes: int = 0
    deja_a_jour: bool = False
    duree: float = 0.0

    @property
    def changements(self) -> int:
        return (
            sum(b.crees + b.modifies + b.rendus_obsoletes for b in self.bilans)
            + self.codes_postaux_crees
            + self.codes_postaux_supprimes
        )

    def as_dict(self) -> dict:
        return {
            "bilans": [vars(bilan) for bilan in self.bilans],
            "codes_postaux_crees": self.codes_postaux_crees,
            "codes_postaux_supprimes": self.codes_postaux_supprimes,
            "duree": round(self.duree, 2),
        }


@dataclass
class Referentiel:
    """The rows the tables must hold, keyed by primary key, as read from the package."""

    version: str
    empreinte: str
    regions: dict[str, dict] = field(default_factory=dict)
    collectivites_outre_mer: dict[str, dict] = field(default_factory=dict)
    departements: dict[str, dict] = field(default_factory=dict)
    epcis: dict[str, dict] = field(default_factory=dict)
    communes: dict[str, dict] = field(default_factory=dict)
    codes_postaux: set[tuple[str, str]] = field(default_factory=set)


def _data_files(source_dir: Path) -> list[Path]:
    data_dir = source_dir / "data"
    missing = [name for name in FICHIERS if not (data_dir / name).is_file()]
    if missing:
        raise DomainError(
            f"Référentiel des territoires introuvable dans {data_dir} "
            f"(fichiers manquants : {', '.join(missing)}). Installez-le avec `npm ci`."
        )
    return [data_dir / name for name in FICHIERS]


def fingerprint(source_dir: Path) -> tuple[str, str]:
    """The package's version and the SHA-256 of its data files."""
    digest = hashlib.sha256()
    for path in _data_files(source_dir):
        digest.update(path.read_bytes())
    package = source_dir / "package.json"
    version = json.loads(package.read_text())["version"] if package.is_file() else "inconnue"
    return version, digest.hexdigest()


def read_referentiel(source_dir: Path) -> Referentiel:
    version, empreinte = fingerprint(source_dir)
    raw = {path.name: json.loads(path.read_bytes()) for path in _data_files(source_dir)}
    referentiel = Referentiel(version=version, empreinte=empreinte)
    for region in raw["regions.json"]:
        target = (
            referentiel.regions
            if region.get("zone") in ZONES_REGIONS_ET_DEPARTEMENTS
            else referentiel.collectivites_outre_mer
        )
        target[region["code"]] = {"nom": region["nom"]}
    for departement in raw["departements.json"]:
        if departement.get("zone") in ZONES_REGIONS_ET_DEPARTEMENTS:
            referentiel.departements[departement["code"]] = {
                "nom": departement["nom"],
                "region_id": departement["region"],
            }
    epci_of_commune = {}
    for epci in raw["epci.json"]:
        referentiel.epcis[epci["code"]] = {
            "nom": epci["nom"],
            "nom_recherche": normalize_search(epci["nom"]),
            "type": epci["type"],
            "population": epci.get("populationMunicipale"),
        }
        for membre in epci["membres"]:
            epci_of_commune[membre["code"]] = epci["code"]
    for commune in raw["communes.json"]:
        if commune["type"] != "commune-actuelle":
            continue
        code = commune["code"]
        in_departement = commune["departement"] in referentiel.departements
        referentiel.communes[code] = {
            "nom": commune["nom"],
            "nom_recherche": normalize_search(commune["nom"]),
            "population": commune.get("population"),
            "siren": commune.get("siren", ""),
            "departement_id": commune["departement"] if in_departement else None,
            "collectivite_outre_mer_id": None if in_departement else commune["departement"],
            "epci_id": epci_of_commune.get(code),
        }
        referentiel.codes_postaux.update(
            (code, code_postal) for code_postal in commune.get("codesPostaux", [])
        )
    return referentiel


def _synchronise(model: type[models.Model], rows: dict[str, dict], bilan: Bilan) -> None:
    """Make the table hold `rows`: create, update, and mark obsolete what is no longer there."""
    fields = [*next(iter(rows.values())).keys(), "obsolete"] if rows else ["obsolete"]
    existing = {obj.pk: obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for pk, values in rows.items():
        values = {**values, "obsolete": False}
        obj = existing.get(pk)
        if obj is None:
            to_create.append(model(pk=pk, **values))
        elif any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            to_update.append(obj)
    bilan.crees, bilan.modifies = len(to_create), len(to_update)
    for pk, obj in existing.items():
        if pk not in rows and not obj.obsolete:
            obj.obsolete = True
            to_update.append(obj)
            bilan.rendus_obsoletes += 1
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    model.objects.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    bilan.actuels = len(rows)


def _synchronise_codes_postaux(referentiel: Referentiel, rapport: RapportImport) -> None:
    """Postal codes of the communes in the source; obsolete communes keep theirs."""
    existing = {
        (commune_id, code): pk
        for pk, commune_id, code in CodePostal.objects.filter(
            commune__in=referentiel.communes.keys()
        ).values_list("pk", "commune_id", "code")
    }
    wanted = referentiel.codes_postaux
    to_delete = [pk for key, pk in existing.items() if key not in wanted]
    to_create = [
        CodePostal(commune_id=commune_id, code=code)
        for commune_id, code in sorted(wanted - existing.keys())
    ]
    for start in range(0, len(to_delete), BATCH_SIZE):
        CodePostal.objects.filter(pk__in=to_delete[start : start + BATCH_SIZE]).delete()
    CodePostal.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    rapport.codes_postaux_crees, rapport.codes_postaux_supprimes = len(to_create), len(to_delete)


def import_territoires(*, source_dir: Path, if_changed: bool = False) -> RapportImport:
    """Synchronise the territories with the package in `source_dir`.

    With `if_changed`, nothing is read into the database when the last import used the very
    same files (same SHA-256): `make run` calls it so that a second start is fast.
    """
    started = time.monotonic()
    if if_changed:
        version, empreinte = fingerprint(source_dir)
        last = ImportTerritoires.objects.order_by("-termine_le").first()
        if last is not None and last.empreinte == empreinte:
            return RapportImport(version=version, empreinte=empreinte, deja_a_jour=True)
    referentiel = read_referentiel(source_dir)
    rapport = RapportImport(version=referentiel.version, empreinte=referentiel.empreinte)
    with transaction.atomic():
        for model, rows, libelle in (
            (Region, referentiel.regions, "Régions"),
            (
                CollectiviteOutreMer,
                referentiel.collectivites_outre_mer,
                "Collectivités d’outre-mer",
            ),
            (Departement, referentiel.departements, "Départements"),
            (EPCI, referentiel.epcis, "EPCI"),
            (Commune, referentiel.communes, "Communes"),
        ):
            bilan = Bilan(libelle=libelle)
            _synchronise(model, rows, bilan)
            rapport.bilans.append(bilan)
        _synchronise_codes_postaux(referentiel, rapport)
        rapport.duree = time.monotonic() - started
        ImportTerritoires.objects.create(
            version=referentiel.version,
            empreinte=referentiel.empreinte,
            compte_rendu=rapport.as_dict(),
        )
    return rapport


# Invitations ----------------------------------------------------------------------------------

INVITATION_SALT = "communes.invitation"


@transaction.atomic
def invite_user(
    *,
    by: User,
    email: str,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    region: Region | None = None,
    departement: Departement | None = None,
    epci: EPCI | None = None,
    commune: Commune | None = None,
    organisation: Organisation | None = None,
) -> Invitation:
    """Give a habilitation to the person at `email` and e-mail them (after the commit).

    A new person gets an inactive account that the e-mail's one-time link activates; a person
    who already has an account simply gains the habilitation.
    """
    cible = Habilitation(
        role=role,
        region=region,
        departement=departement,
        epci=epci,
        commune=commune,
        organisation=organisation,
        created_by=by,
    )
    if not can_invite(by, cible):
        raise NotAllowed(
            "Vous ne pouvez pas donner cette habilitation : le rôle ou le territoire "
            "sort de votre périmètre."
        )
    user, created = User.objects.get_or_create(
        email=User.objects.normalize_email(email),
        defaults={"first_name": first_name, "last_name": last_name, "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif Habilitation.objects.filter(
        user=user,
        role=role,
        region=region,
        departement=departement,
        epci=epci,
        commune=commune,
        organisation=organisation,
    ).exists():
        raise DomainError(f"{user.email} a déjà cette habilitation.")
    cible.user = user
    cible.save()
    # A person who already has an account gains the habilitation at once.
    invitation = Invitation.objects.create(
        habilitation=cible,
        invited_by=by,
        accepted_at=timezone.now() if user.has_usable_password() else None,
    )
    planifier(tasks.send_invitation_email, invitation.pk)
    return invitation


def make_invitation_token(invitation: Invitation) -> str:
    """A signed, dated token naming the invitation; valid INVITATION_VALIDITY_DAYS days."""
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a valid token names, or None if the token is forged or expired."""
    try:
        pk = signing.loads(
            token, salt=INVITATION_SALT, max_age=settings.INVITATION_VALIDITY_DAYS * 86400
        )
    except signing.BadSignature:
        return None
    return (
        Invitation.objects.select_related("habilitation__user", "invited_by").filter(pk=pk).first()
    )


def send_invitation(invitation: Invitation) -> None:
    """Send the invitation e-mail: a link to set a password, or to log in for a known user."""
    user = invitation.user
    if user.has_usable_password():
        link = settings.SITE_URL + reverse("connexion")
    else:
        link = settings.SITE_URL + reverse(
            "communes:invitation_accept", args=[make_invitation_token(invitation)]
        )
    context = {
        "invitation": invitation,
        "habilitation": invitation.habilitation,
        "lien": link,
        "nouveau_compte": not user.has_usable_password(),
        "validite_jours": settings.INVITATION_VALIDITY_DAYS,
    }
    send_mail(
        subject="Votre accès au portail Petites villes de demain",
        message=render_to_string("communes/emails/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])


def resend_invitation(*, invitation: Invitation, by: User) -> Invitation:
    """E-mail the invitation again, with a new link valid from now."""
    if not can_resend_invitation(by, invitation):
        raise NotAllowed("Vous ne pouvez pas renvoyer cette invitation.")
    planifier(tasks.send_invitation_email, invitation.pk)
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: Invitation, password: str) -> User:
    """Activate the invited account with its first password (the link works once).

    The password has been validated by the form (`SetPasswordForm`).
    """
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("habilitation__user")
        .get(pk=invitation.pk)
    )
    user = invitation.user
    if invitation.accepted_at is not None or user.has_usable_password():
        raise DomainError("Cette invitation a déjà été utilisée : connectez-vous.")
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    # Every pending invitation of this person is fulfilled by the same account.
    Invitation.objects.filter(habilitation__user=user, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    return user


# Personal API tokens -------------------------------------------------------------------------


@transaction.atomic
def create_token(*, by: User, libelle: str, duree: DureeJeton | int) -> tuple[JetonAPI, str]:
    """Create a personal API token of `by`, valid `duree` days, and return it with its plain
    text: knox stores only a digest, so this is the one moment the token can be shown.

    At most `REST_KNOX["TOKEN_LIMIT_PER_USER"]` valid tokens per user (expired ones do not count).
    """
    libelle = libelle.strip()
    if not libelle:
        raise DomainError("Donnez un libellé au jeton, pour le reconnaître plus tard.")
    if duree not in DureeJeton.values:
        raise DomainError("Choisissez une durée de validité : 30 jours, 90 jours ou 1 an.")
    # The user's row is locked so that two creations at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=by.pk).exists()
    limite = knox_settings.TOKEN_LIMIT_PER_USER
    if limite is not None and JetonAPI.objects.for_user(by).valides().count() >= limite:
        raise DomainError(
            f"Vous avez déjà {limite} jetons d’API valides, le maximum : révoquez-en un avant "
            "d’en créer un autre."
        )
    token, plaintext = AuthToken.objects.create(user=by, expiry=timedelta(days=duree))
    return JetonAPI.objects.create(token=token, libelle=libelle), plaintext


@transaction.atomic
def revoke_token(*, by: User, pk: int) -> None:
    """Revoke one of `by`'s tokens: knox's row is deleted (the label with it), and the next
    request that presents the token gets a 401."""
    jeton = JetonAPI.objects.for_user(by).select_related("token").filter(pk=pk).first()
    if jeton is None:
        # Another person's token, or one revoked in between (a second click).
        raise DomainError("Ce jeton n’existe pas ou a déjà été révoqué.")
    jeton.token.delete()
