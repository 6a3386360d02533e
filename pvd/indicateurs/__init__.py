"""The dashboard's indicators as data (see `registre`): importing the package declares them
all, from the modules of each part of the programme."""

from pvd.indicateurs import club, parcours, programme  # noqa: F401  (declarations)
from pvd.indicateurs.contexte import Contexte
from pvd.indicateurs.registre import REGISTRE, Indicateur, Section, Unite, calculer

__all__ = ["REGISTRE", "Contexte", "Indicateur", "Section", "Unite", "calculer"]
