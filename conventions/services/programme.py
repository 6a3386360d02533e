"""Import of the national list of the programme (data.gouv.fr, ANCT).

Two shapes are read: the merged JSON of the ANCT's programmes (`{"communes": {insee: {"pvd":
true, "pvd_signed_at": …, "ort_signed_at": …}}}`) and the CSV of the PVD list (`insee_com,
lib_com, id_pvd, date_signature`, comma or semicolon, dates ISO or DD/MM/YYYY). Every row is
validated first and every bad row reported; if one is bad nothing is written, unless told to
skip the bad rows. Then: the lauréates (a retenue candidature), the signed conventions
d'adhésion (communes of one EPCI signed the same day share one), and the ORT (a convention-cadre
completing the adhésion when signed after it, an `OrtHorsCadre` otherwise). What exists is
kept: a second run creates nothing. Each object records the import it came from.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from communes.models import Commune
from conventions.enums import EtatCandidature, EtatConvention, OrigineOrt
from conventions.models import (
    Candidature,
    ConventionAdhesion,
    ConventionCadre,
    ImportProgramme,
    OrtHorsCadre,
)
from pvd.audit import Channel, channel
from pvd.exceptions import DomainError
from pvd.text import normalize_search

# The list published in January 2021 carries a dummy row, left there by its authors.
LIGNE_DE_TEST = {"insee": "999999", "nom": "trifouilly les oies"}
COLONNES_CSV = ("insee_com", "lib_com", "id_pvd", "date_signature")
CODE_INSEE = re.compile(r"\d[\dAB]\d{3}")


@dataclass
class Ligne:
    reference: str  # "ligne 12" (CSV) or "commune 58079" (JSON)
    insee: str
    nom: str
    id_pvd: str = ""
    date_adhesion: date | None = None
    date_ort: date | None = None


@dataclass
class Probleme:
    reference: str
    valeur: str
    motif: str

    def __str__(self) -> str:
        return f"{self.reference} : « {self.valeur} » — {self.motif}"


@dataclass
class RapportProgramme:
    fichier: str
    format: str
    lignes: int = 0
    erreurs: list[Probleme] = field(default_factory=list)
    avertissements: list[Probleme] = field(default_factory=list)
    laureates_creees: int = 0
    laureates_existantes: int = 0
    conventions_creees: int = 0
    adhesions_existantes: int = 0
    cadres_crees: int = 0
    ort_hors_cadre_creees: int = 0
    ort_existantes: int = 0
    ecrit: bool = False
    deja_importe: bool = False

    def as_dict(self) -> dict:
        return {
            key: value
            for key, value in vars(self).items()
            if key not in {"erreurs", "avertissements"}
        } | {
            "erreurs": [str(e) for e in self.erreurs],
            "avertissements": [str(a) for a in self.avertissements],
        }


def parse_date(value: str) -> date:
    """ISO (2021-06-21) or French (21/06/2021)."""
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def _read_json(content: bytes) -> list[tuple[Ligne, dict]]:
    try:
        data = json.loads(content)
        communes = data["communes"]
        assert isinstance(communes, dict)
    except (ValueError, KeyError, TypeError, AssertionError):
        raise DomainError(
            'Fichier JSON illisible : attendu un objet {"communes": {code INSEE: {…}}}.'
        ) from None
    rows = []
    for insee, entry in communes.items():
        if not isinstance(entry, dict) or not entry.get("pvd"):
            continue
        ligne = Ligne(reference=f"commune {insee}", insee=str(insee), nom=entry.get("label", ""))
        rows.append(
            (
                ligne,
                {
                    "date_adhesion": entry.get("pvd_signed_at"),
                    "date_ort": entry.get("ort_signed_at"),
                },
            )
        )
    return rows


def _read_csv(content: bytes) -> list[tuple[Ligne, dict]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("Fichier CSV illisible : il doit être encodé en UTF-8.") from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    missing = [c for c in ("insee_com", "lib_com") if c not in (reader.fieldnames or [])]
    if missing:
        raise DomainError(
            f"Colonnes manquantes dans le CSV : {', '.join(missing)} (attendues : "
            f"{', '.join(COLONNES_CSV)})."
        )
    rows = []
    for number, record in enumerate(reader, start=2):
        ligne = Ligne(
            reference=f"ligne {number}",
            insee=(record.get("insee_com") or "").strip(),
            nom=(record.get("lib_com") or "").strip(),
            id_pvd=(record.get("id_pvd") or "").strip(),
        )
        rows.append((ligne, {"date_adhesion": record.get("date_signature"), "date_ort": None}))
    return rows


def read_programme(path: Path) -> tuple[list[Ligne], RapportProgramme, str]:
    """Parse and validate every row; the report lists every bad one."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise DomainError(
            f"Fichier introuvable ou illisible : {path} ({error.strerror})."
        ) from None
    fmt = "json" if path.suffix.lower() == ".json" or content.lstrip()[:1] == b"{" else "csv"
    rapport = RapportProgramme(fichier=path.name, format=fmt)
    raw = _read_json(content) if fmt == "json" else _read_csv(content)
    rapport.lignes = len(raw)
    communes = Commune.objects.actuels().in_bulk([ligne.insee for ligne, _ in raw])
    seen: dict[str, str] = {}
    valid = []
    for ligne, dates in raw:
        problem = _validate(ligne, dates, communes, seen)
        if problem:
            rapport.erreurs.append(problem)
            continue
        seen[ligne.insee] = ligne.reference
        commune = communes[ligne.insee]
        if ligne.nom and normalize_search(ligne.nom) != commune.nom_recherche:
            rapport.avertissements.append(
                Probleme(
                    ligne.reference,
                    ligne.nom,
                    f"le code officiel géographique nomme la commune {ligne.insee} "
                    f"« {commune.nom} » : importée sous ce nom",
                )
            )
        valid.append(ligne)
    return valid, rapport, hashlib.sha256(content).hexdigest()


def _validate(ligne: Ligne, dates: dict, communes: dict, seen: dict) -> Probleme | None:
    if ligne.insee == LIGNE_DE_TEST["insee"] or normalize_search(ligne.nom) == LIGNE_DE_TEST["nom"]:
        return Probleme(
            ligne.reference,
            f"{ligne.insee} {ligne.nom}".strip(),
            "ligne de test « Trifouilly-les-Oies » publiée avec la liste de 2021 : refusée",
        )
    if not CODE_INSEE.fullmatch(ligne.insee):
        return Probleme(ligne.reference, ligne.insee, "code INSEE invalide (5 caractères)")
    if ligne.insee not in communes:
        return Probleme(
            ligne.reference, ligne.insee, "commune absente du code officiel géographique en vigueur"
        )
    if ligne.insee in seen:
        return Probleme(
            ligne.reference, ligne.insee, f"commune en double (déjà {seen[ligne.insee]})"
        )
    for name, label in (("date_adhesion", "de signature"), ("date_ort", "d’ORT")):
        value = (dates[name] or "").strip()
        if not value:
            continue
        try:
            parsed = parse_date(value)
        except ValueError:
            return Probleme(
                ligne.reference, value, f"date {label} illisible : attendu AAAA-MM-JJ ou JJ/MM/AAAA"
            )
        if parsed > timezone.localdate():
            return Probleme(ligne.reference, value, f"date {label} dans le futur")
        setattr(ligne, name, parsed)
    return None


def import_programme(
    *, path: Path, dry_run: bool = False, skip_invalid: bool = False, if_changed: bool = False
) -> RapportProgramme:
    if if_changed:
        try:
            empreinte = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            empreinte = None  # read_programme explains the problem
        if empreinte and ImportProgramme.objects.filter(empreinte=empreinte).exists():
            return RapportProgramme(fichier=path.name, format="", deja_importe=True)
    lignes, rapport, empreinte = read_programme(path)
    if rapport.erreurs and not skip_invalid:
        return rapport
    # The history of what it writes says « Import » (pvd.audit), not the command that runs it.
    with channel(Channel.IMPORT), transaction.atomic():
        source = ImportProgramme.objects.create(
            fichier=path.name, format=rapport.format, empreinte=empreinte
        )
        _write(lignes, source, rapport)
        source.compte_rendu = rapport.as_dict()
        source.save(update_fields=["compte_rendu"])
        if dry_run:
            transaction.set_rollback(True)
        else:
            rapport.ecrit = True
    return rapport


BATCH_SIZE = 1000


def _bulk_create(model, objects: list, relations: dict[str, list[list]], source) -> None:
    """Create `objects` with their many-to-many `relations` (field name → the related keys of
    each object) and the history rows of both, in a few queries whatever their number."""
    if not objects:
        return
    model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    owner = model._meta.model_name
    links = {}
    for name, keys in relations.items():
        field = model._meta.get_field(name)
        through, target = field.remote_field.through, field.related_model._meta.model_name
        links[name] = through.objects.bulk_create(
            [
                through(**{f"{owner}_id": obj.pk, f"{target}_id": key})
                for obj, object_keys in zip(objects, keys, strict=True)
                for key in object_keys
            ],
            batch_size=BATCH_SIZE,
        )
    historiques = model.history.bulk_history_create(
        objects, batch_size=BATCH_SIZE, default_change_reason=f"Import de {source.fichier}"
    )
    history_of = {h.id: h for h in historiques}  # `id` is the object's key in a history row
    for name, rows in links.items():
        m2m_history = getattr(model.history.model, name).model
        target = model._meta.get_field(name).related_model._meta.model_name
        m2m_history.objects.bulk_create(
            [
                m2m_history(
                    history=history_of[getattr(row, f"{owner}_id")],
                    id=row.pk,
                    **{f"{owner}_id": getattr(row, f"{owner}_id")},
                    **{f"{target}_id": getattr(row, f"{target}_id")},
                )
                for row in rows
            ],
            batch_size=BATCH_SIZE,
        )


def _write(lignes: list[Ligne], source: ImportProgramme, rapport: RapportProgramme) -> None:
    communes = Commune.objects.in_bulk([ligne.insee for ligne in lignes])
    _write_laureates(lignes, source, rapport)
    adhesion_of = _write_adhesions(lignes, communes, source, rapport)
    _write_ort(lignes, communes, adhesion_of, source, rapport)


def _write_laureates(lignes, source, rapport) -> None:
    laureates = set(
        Candidature.objects.retenues()
        .filter(communes__in=[ligne.insee for ligne in lignes])
        .values_list("communes", flat=True)
    )
    nouvelles = [ligne for ligne in lignes if ligne.insee not in laureates]
    rapport.laureates_existantes = len(lignes) - len(nouvelles)
    rapport.laureates_creees = len(nouvelles)
    _bulk_create(
        Candidature,
        [
            Candidature(
                etat=EtatCandidature.RETENUE,
                deposee_le=None,
                presentation=f"Identifiant national : {ligne.id_pvd}" if ligne.id_pvd else "",
                import_programme=source,
            )
            for ligne in nouvelles
        ],
        {"communes": [[ligne.insee] for ligne in nouvelles]},
        source,
    )


def _write_adhesions(lignes, communes, source, rapport) -> dict[str, ConventionAdhesion]:
    """Communes of one EPCI (and one département) signed on the same day share a convention."""
    existing = {
        code: convention
        for convention in ConventionAdhesion.objects.filter(
            communes__in=communes.keys()
        ).prefetch_related("communes")
        for code in convention.communes.values_list("pk", flat=True)
    }
    groups: dict[tuple, list[Commune]] = defaultdict(list)
    for ligne in lignes:
        if ligne.date_adhesion is None:
            continue
        if ligne.insee in existing:
            rapport.adhesions_existantes += 1
            continue
        commune = communes[ligne.insee]
        key = (commune.departement_id, commune.epci_id or commune.pk, ligne.date_adhesion)
        groups[key].append(commune)
    conventions = [
        ConventionAdhesion(etat=EtatConvention.SIGNEE, signee_le=signee_le, import_programme=source)
        for (_, _, signee_le) in groups
    ]
    members = [[commune.pk for commune in group] for group in groups.values()]
    _bulk_create(ConventionAdhesion, conventions, {"communes": members}, source)
    for convention, codes in zip(conventions, members, strict=True):
        existing.update(dict.fromkeys(codes, convention))
    rapport.conventions_creees = len(conventions)
    return existing


def _write_ort(lignes, communes, adhesion_of, source, rapport) -> None:
    with_ort = set(
        ConventionCadre.objects.signees()
        .filter(communes__in=communes.keys())
        .values_list("communes", flat=True)
    ) | set(
        OrtHorsCadre.objects.filter(commune__in=communes.keys()).values_list("commune", flat=True)
    )
    cadres: dict[tuple, list[str]] = defaultdict(list)
    hors_cadre = []
    for ligne in lignes:
        if ligne.date_ort is None:
            continue
        if ligne.insee in with_ort:
            rapport.ort_existantes += 1
            continue
        adhesion = adhesion_of.get(ligne.insee)
        if adhesion is not None and adhesion.signee_le and ligne.date_ort >= adhesion.signee_le:
            cadres[(adhesion.pk, ligne.date_ort)].append(ligne.insee)
            continue
        hors_cadre.append(
            OrtHorsCadre(
                commune_id=ligne.insee,
                signee_le=ligne.date_ort,
                origine=OrigineOrt.ANTERIEURE if adhesion else OrigineOrt.LISTE_NATIONALE,
                import_programme=source,
            )
        )
    _bulk_create(OrtHorsCadre, hors_cadre, {}, source)
    _bulk_create(
        ConventionCadre,
        [
            ConventionCadre(
                adhesion_id=adhesion_pk,
                etat=EtatConvention.SIGNEE,
                signee_le=signee_le,
                import_programme=source,
            )
            for adhesion_pk, signee_le in cadres
        ],
        {"communes": list(cadres.values())},
        source,
    )
    rapport.ort_hors_cadre_creees = len(hors_cadre)
    rapport.cadres_crees = len(cadres)
