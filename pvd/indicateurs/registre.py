"""The registry of the dashboard's indicators: each has a stable key, a French label, a
one-sentence definition, a unit, the section of seed 001 it belongs to, and whether the public
may read it. Indicators are computed by *groups*: one function computes several keys from the
same queries, for a perimeter at a date (`Contexte`).

Modules of this package declare their indicators with `indicateur(...)` and their groups with
`@groupe("key", …)`; `calculer` runs the groups the requested keys need.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from pvd.indicateurs.contexte import Contexte


class Unite(StrEnum):
    NOMBRE = "nombre"
    POURCENTAGE = "pourcentage"  # of the perimeter's PVD communes, 0 to 100, one decimal
    EUROS = "euros"
    MOYENNE = "moyenne"
    REPARTITION = "repartition"  # an object: label → number (or → object)
    SERIE = "serie"  # a list of {mois, communes}


# The units of a single figure (the others are objects or lists: charts and tables).
SCALAIRES = frozenset({Unite.NOMBRE, Unite.POURCENTAGE, Unite.EUROS, Unite.MOYENNE})


class Section(StrEnum):
    """The parts of the note de suivi, in seed 001's order."""

    DEPLOIEMENT = "Déploiement du programme"
    CONVENTIONS = "L’analyse des conventions d’adhésion"
    PROJETS = "Les orientations et actions des projets de territoire"
    BESOINS = "Les besoins exprimés"
    INGENIERIE = "Soutien à l’ingénierie"
    THEMATIQUES = "Soutien aux actions thématiques"
    FINANCEMENT = "Financement des projets"
    CLUB = "Le Club"


@dataclass(frozen=True)
class Indicateur:
    cle: str
    libelle: str
    definition: str
    unite: Unite
    section: Section
    # Readable by anonymous visitors: the programme's deployment, never money.
    public: bool = False


REGISTRE: dict[str, Indicateur] = {}
_GROUPES: dict[str, Callable[[Contexte], dict]] = {}


def indicateur(
    cle: str,
    libelle: str,
    definition: str,
    unite: Unite,
    section: Section,
    *,
    public: bool = False,
) -> Indicateur:
    if cle in REGISTRE:
        raise ValueError(f"Indicateur déclaré deux fois : {cle}")
    REGISTRE[cle] = Indicateur(cle, libelle, definition, unite, section, public)
    return REGISTRE[cle]


def groupe(*cles: str):
    """Declare the function computing `cles` (it returns a dict with exactly these keys)."""

    def register(function: Callable[[Contexte], dict]):
        for cle in cles:
            if cle in _GROUPES:
                raise ValueError(f"Indicateur calculé par deux groupes : {cle}")
            _GROUPES[cle] = function
        function.cles = cles
        return function

    return register


def calculer(contexte: Contexte, cles: Iterable[str] | None = None) -> dict:
    """The values of `cles` (default: every registered indicator), in the registry's order."""
    cles = list(REGISTRE) if cles is None else list(cles)
    values: dict = {}
    done: set[int] = set()
    for cle in cles:
        function = _GROUPES[cle]
        if id(function) in done:
            continue
        done.add(id(function))
        result = function(contexte)
        if set(result) != set(function.cles):
            raise ValueError(f"{function.__name__} doit calculer exactement {function.cles}")
        values.update(result)
    return {cle: values[cle] for cle in cles}


def pct(part: int, whole: int) -> float:
    """A share of `whole` as the dashboard writes it: 0 to 100 with one decimal (0 when the
    whole is empty)."""
    return round(100 * part / whole, 1) if whole else 0.0
