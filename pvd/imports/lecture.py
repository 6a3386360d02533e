"""Bulk imports, the part every app shares (imports no app): reading a spreadsheet (CSV or
XLSX) into rows of text, checking its cells with the services' own rules while recording
every error (line, column, value, reason in French), and the downloadable template.

An app declares its import in `<app>/imports.py` (a `DefinitionImport`: its columns, who may
run it, how its rows are checked and written); `pvd.imports.registre` lists them and
`pvd.imports.views` runs them. Nothing is written unless every row is good.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from pvd.exceptions import DomainError
from pvd.fichiers import est_formule, nom_affiche, raison_formule
from pvd.text import nombre, normalize_search

TAILLE_MAXIMALE = 10 * 1024 * 1024  # 10 Mo: 10,000 rows of a financeur's spreadsheet fit
# The import runs in the request: 10,000 rows take at most 14 s on PostgreSQL (bench/imports.py),
# half of gunicorn's 30 s. A bigger file is split.
LIGNES_MAXIMALES = 10_000
# A zip bomb is stopped before openpyxl opens the archive: by the unpacked size its directory
# declares (zipfile never inflates a member beyond it) and by the compression ratio of its big
# members. A workbook of 10,000 rows unpacks to a few Mo, compressed 5 to 20 times.
TAILLE_DECOMPRESSEE_MAXIMALE = 50 * 1024 * 1024
TAUX_COMPRESSION_MAXIMAL = 100
MEMBRES_MAXIMAUX = 1000


@dataclass(frozen=True)
class Colonne:
    cle: str
    entete: str  # the French header of the template
    aide: str  # the expected content, shown on the page and in the template's help sheet
    obligatoire: bool = False


@dataclass(frozen=True)
class Erreur:
    ligne: int  # as the spreadsheet numbers it (1 is the header)
    colonne: str
    valeur: str
    raison: str

    def __str__(self) -> str:
        return f"Ligne {self.ligne}, colonne « {self.colonne} » (« {self.valeur} ») : {self.raison}"


@dataclass
class Resultat:
    creees: int = 0
    modifiees: int = 0
    inchangees: int = 0

    @property
    def total(self) -> int:
        return self.creees + self.modifiees + self.inchangees


class FichierIllisible(Exception):
    """The file has no shape to read (format, size, headers): one message, no row report."""


class ImportInvalide(Exception):
    """Some rows are bad: all of them are listed, nothing was written."""

    def __init__(self, erreurs: list[Erreur]):
        super().__init__(f"{len(erreurs)} erreur(s)")
        self.erreurs = sorted(erreurs, key=lambda e: e.ligne)


@dataclass(frozen=True)
class DefinitionImport:
    """What an app declares for one kind of import.

    `valider(user, lignes)` checks every row (recording errors on it) against referentials read
    in bulk and returns a plan; `ecrire(user, plan, raison)` writes it and returns the counts.
    """

    slug: str
    titre: str
    description: str
    colonnes: tuple[Colonne, ...]
    peut_importer: Callable[[Any], bool]
    valider: Callable[[Any, list[Ligne]], Any]
    ecrire: Callable[[Any, Any, str], Resultat]


# Reading ------------------------------------------------------------------------------------------


def _decode(contenu: bytes) -> str:
    try:
        return contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in French saves « CSV (séparateur : point-virgule) » in Windows-1252.
        return contenu.decode("cp1252", errors="replace")


def _lignes_csv(contenu: bytes) -> Iterator[tuple[int, list[str]]]:
    if b"\x00" in contenu:  # binary: no text file has a NUL (nor can the database store it)
        raise FichierIllisible(
            "Ce fichier n’est ni un CSV ni un classeur XLSX : enregistrez-le dans l’un de ces "
            "formats."
        )
    texte = _decode(contenu)
    premiere = texte.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=premiere.count)
    reader = csv.reader(io.StringIO(texte, newline=""), delimiter=delimiter)
    yield from enumerate(reader, start=1)


def _texte_xlsx(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


XLSX_ILLISIBLE = (
    "Ce classeur XLSX ne peut pas être lu : enregistrez-le à nouveau depuis votre tableur, ou "
    "exportez-le en CSV."
)


def _verifier_archive(archive: zipfile.ZipFile) -> None:
    membres = archive.infolist()
    if (
        len(membres) > MEMBRES_MAXIMAUX
        or sum(m.file_size for m in membres) > TAILLE_DECOMPRESSEE_MAXIMALE
        or any(
            m.file_size > 1024 * 1024
            and m.file_size > TAUX_COMPRESSION_MAXIMAL * max(m.compress_size, 1)
            for m in membres
        )
    ):
        raise FichierIllisible(
            "Ce classeur se décompresse en un volume anormal (plus de "
            f"{TAILLE_DECOMPRESSEE_MAXIMALE // 1024 // 1024} Mo, ou compressé plus de "
            f"{TAUX_COMPRESSION_MAXIMAL} fois) : il n’est pas lu. Exportez-le en CSV."
        )


def _lignes_xlsx(contenu: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
            _verifier_archive(archive)
        # openpyxl parses with defusedxml (installed): no entity expansion, no external entity.
        classeur = load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
    except FichierIllisible:
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise FichierIllisible(XLSX_ILLISIBLE) from error
    try:
        feuille = classeur.worksheets[0]
        # The sheet is parsed while it is read: a damaged one fails here.
        for numero, row in enumerate(feuille.iter_rows(values_only=True), start=1):
            yield numero, [_texte_xlsx(value) for value in row]
    except Exception as error:
        raise FichierIllisible(XLSX_ILLISIBLE) from error
    finally:
        classeur.close()


def lire(contenu: bytes, colonnes: tuple[Colonne, ...]) -> list[Ligne]:
    """The non-empty rows of a CSV (`;`, `,` or tab; UTF-8 with or without BOM, or
    Windows-1252) or XLSX file (its first sheet), keyed by column. The header is the first
    non-empty row; its names are matched without case, accents or punctuation."""
    if len(contenu) > TAILLE_MAXIMALE:
        raise FichierIllisible("Le fichier dépasse 10 Mo : découpez-le en plusieurs imports.")
    if not contenu.strip():
        raise FichierIllisible("Le fichier est vide : il doit au moins avoir la ligne d’en-tête.")
    rows = _lignes_xlsx(contenu) if contenu.startswith(b"PK\x03\x04") else _lignes_csv(contenu)
    connues = {normalize_search(c.entete): c for c in colonnes} | {
        normalize_search(c.cle): c for c in colonnes
    }
    index: dict[str, int] | None = None
    lignes: list[Ligne] = []
    try:
        for numero, row in rows:
            if not any(cell.strip() for cell in row):
                continue
            if index is None:
                index = {}
                for position, entete in enumerate(row):
                    colonne = connues.get(normalize_search(entete))
                    if colonne is not None and colonne.cle not in index:
                        index[colonne.cle] = position
                manquantes = [c.entete for c in colonnes if c.obligatoire and c.cle not in index]
                if manquantes:
                    raise FichierIllisible(
                        "Colonnes obligatoires absentes de la première ligne : "
                        + ", ".join(f"« {m} »" for m in manquantes)
                        + ". Partez du modèle à télécharger."
                    )
                continue
            if len(lignes) >= LIGNES_MAXIMALES:
                raise FichierIllisible(
                    f"Le fichier dépasse {nombre(LIGNES_MAXIMALES)} lignes : découpez-le."
                )
            cellules = {
                cle: row[position].strip() if position < len(row) else ""
                for cle, position in index.items()
            }
            ligne = Ligne(numero, cellules, colonnes)
            for cle, valeur in cellules.items():
                if est_formule(valeur):
                    ligne.erreur(cle, raison_formule(valeur))
            lignes.append(ligne)
    except csv.Error as error:  # a cell longer than csv's limit (128 Ko), a stray quote…
        raise FichierIllisible(
            "Ce CSV ne peut pas être lu : une ligne est trop longue ou mal formée (un guillemet "
            "non fermé ?). Enregistrez-le à nouveau depuis votre tableur."
        ) from error
    if index is None:
        raise FichierIllisible("Le fichier est vide : il doit au moins avoir la ligne d’en-tête.")
    return lignes


# Checking the cells ---------------------------------------------------------------------------


_NOMBRE = re.compile(r"^-?\d+([.,]\d+)?$")
_DATE_FR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _normalise_choix(valeur: str) -> str:
    return normalize_search(valeur).replace(" ", "")


@dataclass
class Ligne:
    """A row of the file. Its readers return the typed value, or None after recording why
    the cell is wrong; `ok` says whether the row is good."""

    numero: int
    cellules: dict[str, str]
    colonnes: tuple[Colonne, ...]
    erreurs: list[Erreur] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.erreurs

    def entete(self, cle: str) -> str:
        return next((c.entete for c in self.colonnes if c.cle == cle), cle)

    def en_erreur(self, cle: str) -> bool:
        """Is the cell of `cle` already wrong? (Checks that read it then say nothing more.)"""
        entete = self.entete(cle)
        return any(erreur.colonne == entete for erreur in self.erreurs)

    def erreur(self, cle: str, raison: str, valeur: str | None = None) -> None:
        valeur = self.cellules.get(cle, "") if valeur is None else valeur
        self.erreurs.append(Erreur(self.numero, self.entete(cle), valeur, raison))

    @contextmanager
    def regle(self, cle: str):
        """Run a service's check: its `DomainError` becomes this cell's error."""
        try:
            yield
        except DomainError as error:
            self.erreur(cle, str(error))

    def texte(self, cle: str, *, obligatoire: bool = False, longueur: int = 255) -> str:
        valeur = self.cellules.get(cle, "")
        if obligatoire and not valeur:
            self.erreur(cle, "cette colonne est obligatoire")
        elif len(valeur) > longueur:
            self.erreur(cle, f"{nombre(longueur)} caractères au plus")
            return valeur[:longueur]
        return valeur

    def decimal(self, cle: str, *, obligatoire: bool = False, chiffres: int = 12) -> Decimal | None:
        """« 12 345,67 », « 12345.67 », « 12 345 € »; `chiffres`: digits before the decimal
        point that the column holds."""
        brut = self.cellules.get(cle, "")
        valeur = re.sub(r"[\s\u00a0\u202f€]", "", brut)
        if not valeur:
            if obligatoire:
                self.erreur(cle, "cette colonne est obligatoire")
            return None
        if not _NOMBRE.match(valeur):
            self.erreur(cle, "ce n’est pas un nombre (écrivez par exemple 12345,67)")
            return None
        try:
            nombre_lu = Decimal(valeur.replace(",", "."))
        except InvalidOperation:
            self.erreur(cle, "ce n’est pas un nombre")
            return None
        if abs(nombre_lu) >= 10**chiffres:
            self.erreur(cle, f"nombre trop grand ({chiffres} chiffres au plus avant la virgule)")
            return None
        return nombre_lu

    def entier(self, cle: str, *, obligatoire: bool = False, mini: int, maxi: int) -> int | None:
        valeur = self.cellules.get(cle, "")
        if not valeur:
            if obligatoire:
                self.erreur(cle, "cette colonne est obligatoire")
            return None
        if not valeur.isdigit() or not mini <= int(valeur) <= maxi:
            self.erreur(cle, f"un nombre entier de {mini} à {maxi} est attendu")
            return None
        return int(valeur)

    def date(self, cle: str, *, obligatoire: bool = False) -> date | None:
        """« 31/12/2022 » or « 2022-12-31 »."""
        valeur = self.cellules.get(cle, "")
        if not valeur:
            if obligatoire:
                self.erreur(cle, "cette colonne est obligatoire")
            return None
        try:
            if match := _DATE_FR.match(valeur):
                jour, mois, annee = (int(g) for g in match.groups())
                return date(annee, mois, jour)
            return date.fromisoformat(valeur[:10])
        except ValueError:
            self.erreur(cle, "date attendue au format JJ/MM/AAAA")
            return None

    def choix(self, cle: str, choices, *, defaut: str | None = None) -> str | None:
        """A value of `choices` (a TextChoices), written as its label or its code."""
        valeur = self.cellules.get(cle, "")
        if not valeur:
            if defaut is None:
                self.erreur(cle, "cette colonne est obligatoire")
            return defaut
        connus = {_normalise_choix(label): code for code, label in choices.choices} | {
            _normalise_choix(code): code for code in choices.values
        }
        code = connus.get(_normalise_choix(valeur))
        if code is None:
            self.erreur(cle, "valeur inconnue : " + ", ".join(choices.labels))
        return code

    def codes(self, cle: str) -> list[str]:
        """Several codes in one cell, separated by commas, semicolons or spaces. Codes of five
        digits or less get their leading zeros back (a spreadsheet turns 07186 into 7186)."""
        valeur = self.cellules.get(cle, "")
        return [
            code.zfill(5) if code.isdigit() and len(code) < 5 else code.upper()
            for code in re.split(r"[\s,;|/]+", valeur)
            if code
        ]

    def email(self, cle: str) -> str:
        valeur = self.cellules.get(cle, "").lower()
        if valeur:
            try:
                validate_email(valeur)
            except ValidationError:
                self.erreur(cle, "ce n’est pas une adresse électronique")
                return ""
        return valeur


def reference_unique(lignes: list[Ligne], cle: str, portee: Callable[[Ligne], Any]) -> None:
    """Refuse a reference given twice in the file (within the same `portee`, e.g. financeur)."""
    vues: dict[tuple, int] = {}
    for ligne in lignes:
        reference = ligne.cellules.get(cle, "")
        if not reference:
            continue
        cle_portee = (portee(ligne), reference)
        if cle_portee in vues:
            ligne.erreur(cle, f"cette référence figure déjà ligne {vues[cle_portee]}")
        else:
            vues[cle_portee] = ligne.numero


# Running an import --------------------------------------------------------------------------------


def valider(definition: DefinitionImport, user, lignes: list[Ligne]):
    """Check every row; raise `ImportInvalide` listing all the errors, else return the plan."""
    plan = definition.valider(user, lignes)
    erreurs = [erreur for ligne in lignes for erreur in ligne.erreurs]
    if erreurs:
        raise ImportInvalide(erreurs)
    return plan


def executer(definition: DefinitionImport, user, nom_fichier: str, contenu: bytes) -> Resultat:
    """Read, check every row, then write all of them in one transaction (or nothing)."""
    plan = valider(definition, user, lire(contenu, definition.colonnes))
    try:
        with transaction.atomic():
            return definition.ecrire(user, plan, raison_import(nom_fichier))
    except IntegrityError as error:
        # A constraint the checks could not foresee: someone wrote the same reference at the
        # same moment. Nothing was written.
        raise FichierIllisible(
            "L’enregistrement a été refusé par la base de données (une autre modification a eu "
            "lieu en même temps ?). Rien n’a été enregistré : importez le fichier à nouveau."
        ) from error


def raison_import(nom_fichier: str) -> str:
    """The reason of the history rows written (history_change_reason holds 100 characters)."""
    return f"Import du fichier {nom_affiche(nom_fichier)}"[:100]


# The template -------------------------------------------------------------------------------------


def modele_csv(colonnes: tuple[Colonne, ...]) -> bytes:
    """The header row, `;`-separated, UTF-8 with a BOM: Excel in French opens it as is."""
    sortie = io.StringIO()
    csv.writer(sortie, delimiter=";", lineterminator="\r\n").writerow(c.entete for c in colonnes)
    return ("\ufeff" + sortie.getvalue()).encode("utf-8")


def modele_xlsx(colonnes: tuple[Colonne, ...], titre: str) -> bytes:
    """A workbook whose first sheet has the header row (and nothing else: imported as is, it
    is an empty but valid file) and a second sheet describing every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Import"
    feuille.append([c.entete for c in colonnes])
    for cellule in feuille[1]:
        cellule.font = Font(bold=True)
    for lettre, colonne in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", colonnes, strict=False):
        feuille.column_dimensions[lettre].width = max(14, len(colonne.entete) + 2)
    aide = classeur.create_sheet("Aide")
    aide.append([titre])
    aide.append(["Colonne", "Obligatoire", "Contenu attendu"])
    for colonne in colonnes:
        aide.append([colonne.entete, "oui" if colonne.obligatoire else "non", colonne.aide])
    aide.column_dimensions["A"].width = 32
    aide.column_dimensions["C"].width = 100
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()
