"""Text helpers shared by every app (no app imports here)."""

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def normalize_search(text: str) -> str:
    """Lower-case, accent-free words separated by one space.

    >>> normalize_search("L'Île-d'Yeu")
    'l ile d yeu'
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(word for word in re.split(r"[^0-9a-z]+", stripped.lower()) if word)


def normalize_query(text: str) -> str:
    """Like `normalize_search`, and expands the usual abbreviations ("St-Flour" → "saint flour")."""
    return " ".join(_ABBREVIATIONS.get(word, word) for word in normalize_search(text).split())


def nombre(value: int | float) -> str:
    """A number as French writes it: "34 969", "6,4"."""
    from django.utils.formats import number_format

    return number_format(value, force_grouping=True)


def euros(value) -> str:
    """An amount in euros as French writes it, with no-break spaces: "3 076 335,49 €"."""
    from decimal import Decimal

    from django.utils.formats import number_format

    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 2
    return f"{number_format(value, decimal_pos=places, force_grouping=True)}\u00a0€"


def jours(value) -> str:
    """A number of days of intervention: "12 jours", "1,5 jour"."""
    from decimal import Decimal

    from django.utils.formats import number_format

    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 1
    unit = "jour" if value < 2 else "jours"
    return f"{number_format(value, decimal_pos=places, force_grouping=True)}\u00a0{unit}"
