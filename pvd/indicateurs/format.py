"""How the dashboard, its JSON and the PDF note write a value and its change since the previous
note: one place, so that the page and the note say the same thing."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format

from pvd.indicateurs.registre import REGISTRE, Unite
from pvd.text import euros, nombre


def valeur(cle: str, value) -> str:
    """A scalar indicator's value as French writes it: "1 426", "6,9 %", "20 959 057 €"."""
    if value is None:
        return "—"
    unite = REGISTRE[cle].unite
    if unite == Unite.POURCENTAGE:
        return f"{nombre(value)}\u00a0%"
    if unite == Unite.EUROS:
        return euros(value)
    if unite in (Unite.NOMBRE, Unite.MOYENNE):
        return nombre(value)
    raise ValueError(f"{cle} n’est pas un indicateur scalaire")


def evolution(cle: str, value, previous, previous_date: date | None) -> str | None:
    """The change since the previous note: « contre 6,4 % en juillet 2021 » (None when there
    is nothing to compare: no previous note, or not a scalar)."""
    if previous is None or previous_date is None:
        return None
    if REGISTRE[cle].unite not in (Unite.NOMBRE, Unite.POURCENTAGE, Unite.EUROS, Unite.MOYENNE):
        return None
    return f"contre {valeur(cle, previous)} en {date_format(previous_date, 'F Y')}"
