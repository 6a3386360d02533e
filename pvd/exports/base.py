"""What an exportable list is, and the two writers (no app imports here: every app declares its
lists in its own `exports.py` with these classes; `pvd.exports.listes` gathers them).

Cells are typed: numbers stay numbers, dates dates. In CSV (UTF-8 with a BOM, `;` between
cells, as French Excel expects) decimals are written with a decimal comma and no thousands
separator (« 1234,5 »), dates as « 21/06/2021 », so that French Excel reads them as numbers and
dates; integers are plain. A text starting with = + - @, a tab or a carriage return is
neutralised with a leading apostrophe, so that no spreadsheet runs it as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CSV, XLSX = "csv", "xlsx"
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULE = ("=", "+", "-", "@", "\t", "\r")
# Rows read from the database at a time: memory stays flat, prefetches run once per chunk.
CHUNK = 1000


@dataclass(frozen=True)
class Colonne:
    cle: str
    titre: str
    valeur: Callable[[Any], Any]


@dataclass(frozen=True)
class ListeExportable:
    """A list of the portal that exports.

    `objets(user)` starts from the model's `for_user` and fetches everything the columns read
    (select_related / prefetch_related / annotations: the queries do not grow with the rows);
    `filtrer(data, queryset, user)` applies the HTML list's filters to it (`data`: its query
    string); `url_liste` names the list's page, to go back to it.
    """

    cle: str
    titre: str
    colonnes: tuple[Colonne, ...]
    objets: Callable[[Any], Any]
    filtrer: Callable[[Any, Any, Any], Any]
    url_liste: str

    def colonne(self, cle: str) -> Colonne:
        return next(c for c in self.colonnes if c.cle == cle)

    def lignes(self, user, data):
        """The queryset of the export: the user's perimeter, then the list's filters."""
        return self.filtrer(data, self.objets(user), user)


def neutraliser(texte: str) -> str:
    """A text a spreadsheet would read as a formula gets a leading apostrophe."""
    return f"'{texte}" if texte.startswith(FORMULE) else texte


def _csv(valeur) -> str | int:
    match valeur:
        case None:
            return ""
        case bool():
            return "oui" if valeur else "non"
        case int():
            return valeur
        case Decimal() | float():
            return format(Decimal(str(valeur)), "f").replace(".", ",")
        case datetime():
            return f"{timezone.localtime(valeur):%d/%m/%Y %H:%M}"
        case date():
            return f"{valeur:%d/%m/%Y}"
    return neutraliser(str(valeur))


def _xlsx(feuille, valeur):
    match valeur:
        case bool():
            return "oui" if valeur else "non"
        case None | int() | float() | Decimal():
            return valeur
        case datetime():
            # Excel knows no time zones: the time as read in Paris.
            cellule = WriteOnlyCell(feuille, timezone.localtime(valeur).replace(tzinfo=None))
            cellule.number_format = "dd/mm/yyyy hh:mm"
            return cellule
        case date():
            cellule = WriteOnlyCell(feuille, valeur)
            cellule.number_format = "dd/mm/yyyy"
            return cellule
    return neutraliser(str(valeur))


def ecrire(format: str, colonnes: list[Colonne], objets: Iterable) -> tuple[bytes, int]:
    """The file of `objets` with `colonnes`, and its number of rows."""
    n = 0
    if format == CSV:
        sortie = io.StringIO()
        writer = csv.writer(sortie, delimiter=";", lineterminator="\r\n")
        writer.writerow([neutraliser(c.titre) for c in colonnes])
        for objet in objets:
            writer.writerow([_csv(c.valeur(objet)) for c in colonnes])
            n += 1
        return ("\ufeff" + sortie.getvalue()).encode("utf-8"), n
    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet("Export")
    feuille.freeze_panes = "A2"
    entetes = []
    for colonne in colonnes:
        entete = WriteOnlyCell(feuille, neutraliser(colonne.titre))
        entete.font = Font(bold=True)
        entetes.append(entete)
    feuille.append(entetes)
    for objet in objets:
        feuille.append([_xlsx(feuille, c.valeur(objet)) for c in colonnes])
        n += 1
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue(), n
