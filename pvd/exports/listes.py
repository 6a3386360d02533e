"""The registry of the lists that export: each app declares its own in `<app>/exports.py`; the
national layer, above them all, gathers them here (keyed by the `cle` of the URL)."""

from club import exports as club
from conventions import exports as conventions
from financements import exports as financements
from ingenierie import exports as ingenierie
from pvd.exports.base import ListeExportable

LISTES: dict[str, ListeExportable] = {
    liste.cle: liste
    for module in (conventions, ingenierie, financements, club)
    for liste in module.LISTES
}
