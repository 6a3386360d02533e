"""Writes of a commune's journey, one module per subject: `candidatures`, `conventions`,
`echeances` (deadline digests) and `programme` (import of the national list)."""

from collections.abc import Iterable


def noms(communes: Iterable) -> str:
    """ "Armes, Clamecy": the names of communes for a message."""
    return ", ".join(sorted(commune.nom for commune in communes))
