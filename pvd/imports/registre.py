"""The imports the portal offers: each app declares its own in `<app>/imports.py`; the national
layer lists them (it may import every app, no app imports it)."""

from financements.imports import IMPORT as FINANCEMENTS
from ingenierie.imports import POSTES, SOUTIENS
from pvd.imports.lecture import DefinitionImport

IMPORTS: dict[str, DefinitionImport] = {d.slug: d for d in (FINANCEMENTS, POSTES, SOUTIENS)}


def ouverts(user) -> list[DefinitionImport]:
    """The imports `user` may run (the same people who create those objects in the forms)."""
    return [definition for definition in IMPORTS.values() if definition.peut_importer(user)]
