"""The French names of the perimeters a note is made for, from their parameters ("FR",
"region:27", "departement:58")."""

from __future__ import annotations

from collections.abc import Iterable

from communes.models import Departement, Region
from communes.perimetre import Perimetre
from pvd.text import normalize_search

FRANCE = "France"


def libelles(params: Iterable[str]) -> dict[str, str]:
    """{param: name} for every parameter, in two queries at most: « France »,
    « Bourgogne-Franche-Comté », « Nièvre (58) »; a code that names no territory keeps
    its parameter."""
    params = set(params)
    regions = {p.partition(":")[2] for p in params if p.startswith("region:")}
    departements = {p.partition(":")[2] for p in params if p.startswith("departement:")}
    noms = {"FR": FRANCE}
    if regions:
        noms |= {
            f"region:{code}": nom
            for code, nom in Region.objects.filter(code__in=regions).values_list("code", "nom")
        }
    if departements:
        noms |= {
            f"departement:{code}": f"{nom} ({code})"
            for code, nom in Departement.objects.filter(code__in=departements).values_list(
                "code", "nom"
            )
        }
    return {param: noms.get(param, param) for param in params}


def libelle(param: str) -> str:
    return libelles([param])[param]


def existe(perimetre: Perimetre) -> bool:
    """Does the perimeter name a territory of the referential (or France)?"""
    if perimetre.national:
        return True
    param = perimetre.param
    return libelle(param) != param


def echelon(param: str) -> str:
    """The cover's line: « Suivi national », « Suivi régional », « Suivi départemental »."""
    if param == "FR":
        return "Suivi national"
    if param.startswith("region:"):
        return "Suivi régional"
    return "Suivi départemental"


def choix(params: Iterable[str] | None) -> list[tuple[str, object]]:
    """The choices of a form's perimeter field: `params`, or every perimeter (None), grouped
    as France, régions, départements."""
    if params is not None:
        names = libelles(params)
        return sorted(names.items(), key=lambda item: (item[0] != "FR", item[1]))
    regions = sorted(
        ((f"region:{r.code}", r.nom) for r in Region.objects.actuels()),
        key=lambda choice: normalize_search(choice[1]),  # « Île-de-France » among the I
    )
    departements = [
        (f"departement:{d.code}", f"{d.code} — {d.nom}")
        for d in Departement.objects.actuels().order_by("code")
    ]
    return [("FR", FRANCE), ("Régions", regions), ("Départements", departements)]
