"""Who may read the dashboard's figures of which perimeter, at which date: the one definition
shared by the dashboard page, its JSON (`/api/v1/tableau-de-bord/`) and the Club's figures.

- The parameters: `perimetre` is "FR", "region:<code>" or "departement:<code>" (`Perimetre.parse`),
  `date` is YYYY-MM-DD, never in the future. A parameter that cannot be read raises
  `ParametreInvalide` (a `DomainError`: the API answers 400 with its French message).
- France is aggregated figures that every user with a perimeter reads. A région or a département
  must be covered by the user's perimeter (`covered_by`: the ANCT covers everything, a région its
  départements); outside, or unknown: `Http404`, so that a territory's figures never leak.
- Users without a perimeter (anonymous visitors, accounts without habilitation) read France's
  public indicators only: the programme's deployment, never money (`Indicateur.public`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.utils.formats import date_format

from communes.models import Departement, Region
from communes.perimetre import NATIONAL, Perimetre
from pvd.exceptions import DomainError
from pvd.indicateurs.registre import REGISTRE

FRANCE = ("FR", "France entière")


class ParametreInvalide(DomainError):
    """A parameter of the dashboard that cannot be read (French message)."""


class DateFuture(ParametreInvalide):
    """A date after today: its figures do not exist yet."""


def lire_perimetre(valeur: str | None) -> Perimetre:
    """The perimeter of the parameter `valeur` (France when empty)."""
    if not (valeur or "").strip():
        return NATIONAL
    try:
        return Perimetre.parse(valeur)
    except ValueError as error:
        raise ParametreInvalide(str(error)) from error


def lire_date(valeur: str | None, today: date) -> date:
    """The day of the parameter `valeur` (`today` when empty)."""
    if not (valeur or "").strip():
        return today
    try:
        day = date.fromisoformat(valeur.strip())
    except ValueError as error:
        raise ParametreInvalide(f"Date « {valeur} » invalide : écrivez-la AAAA-MM-JJ.") from error
    if day > today:
        raise DateFuture(
            f"Date « {valeur} » dans le futur : les chiffres s’arrêtent "
            f"au {date_format(today, 'j F Y')}."
        )
    return day


@dataclass(frozen=True)
class Territoires:
    """The territories a perimeter covers: `regions` and `departements` as (parameter, label)
    for a picker ("58 – Nièvre"), `noms` by parameter for a sentence ("Nièvre")."""

    regions: list[tuple[str, str]]
    departements: list[tuple[str, str]]
    noms: dict[str, str]

    @property
    def lisibles(self) -> set[str]:
        return {param for param, _ in self.regions + self.departements}


def territoires(perimetre: Perimetre) -> Territoires:
    """The régions and départements (current ones) `perimetre` covers. Two queries."""
    regions = Region.objects.actuels().covered_by(perimetre).order_by("nom")
    departements = Departement.objects.actuels().covered_by(perimetre).order_by("code")
    regions = [(f"region:{r.code}", r.nom) for r in regions]
    departements = [(f"departement:{d.code}", d.code, d.nom) for d in departements]
    return Territoires(
        regions=regions,
        departements=[(param, f"{code} – {nom}") for param, code, nom in departements],
        noms=dict([FRANCE, *regions, *((param, nom) for param, _, nom in departements)]),
    )


def perimetre_par_defaut(perimetre: Perimetre) -> Perimetre:
    """What a user sees first: its territory when it has exactly one région or département,
    France otherwise (the ANCT, a commune, a user of several territories)."""
    try:
        return Perimetre.parse(perimetre.param)
    except ValueError:  # no territory, or several
        return NATIONAL


def check_lisible(user_perimetre: Perimetre, perimetre: Perimetre) -> None:
    """Refuse (`Http404`) a perimeter the user may not read. France: anyone (what each user
    reads of it is `cles_lisibles`); a territory: when `user_perimetre` covers it. One query
    for a territory, none for France."""
    if perimetre.national:
        return
    if perimetre.regions:
        territoires_couverts = Region.objects.actuels().covered_by(user_perimetre)
        codes = perimetre.regions
    else:
        territoires_couverts = Departement.objects.actuels().covered_by(user_perimetre)
        codes = perimetre.departements
    if user_perimetre.is_empty or not territoires_couverts.filter(code__in=codes).exists():
        raise Http404("Ce territoire n’est pas dans votre périmètre.")


def cles_lisibles(user_perimetre: Perimetre) -> list[str]:
    """The indicators the user reads, in the registry's order: every one with a perimeter,
    the public ones otherwise."""
    if user_perimetre.is_empty:
        return [cle for cle, indicateur in REGISTRE.items() if indicateur.public]
    return list(REGISTRE)
