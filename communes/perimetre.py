"""What a user may see: the one definition every `for_user(user)` builds on.

A user's perimeter is the union of the territories of its habilitations. Querysets of every app
turn it into a filter with `communes_q(path)`, where `path` leads from the queried model to a
`Commune`; an object is inside the perimeter when one of its communes is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from communes.enums import Role

if TYPE_CHECKING:
    from collections.abc import Iterable

    from communes.models import Habilitation


@dataclass(frozen=True)
class Perimetre:
    national: bool = False
    regions: frozenset[str] = frozenset()
    departements: frozenset[str] = frozenset()
    epcis: frozenset[str] = frozenset()
    communes: frozenset[str] = frozenset()

    @classmethod
    def of(cls, user) -> Perimetre:
        """The perimeter of `user` (anonymous users have an empty one). Cached on the user."""
        if not user.is_authenticated:
            return VIDE
        return user.perimetre

    @classmethod
    def from_habilitations(cls, habilitations: Iterable[Habilitation]) -> Perimetre:
        national = False
        regions, departements, epcis, communes = set(), set(), set(), set()
        for habilitation in habilitations:
            if habilitation.role == Role.ANCT:
                national = True
            elif habilitation.region_id:
                regions.add(habilitation.region_id)
            elif habilitation.departement_id:
                departements.add(habilitation.departement_id)
            elif habilitation.epci_id:
                epcis.add(habilitation.epci_id)
            elif habilitation.commune_id:
                communes.add(habilitation.commune_id)
            elif habilitation.role == Role.PARTENAIRE:
                # A partner without a territory works nationally.
                national = True
        if national:
            return NATIONAL
        return cls(
            regions=frozenset(regions),
            departements=frozenset(departements),
            epcis=frozenset(epcis),
            communes=frozenset(communes),
        )

    @classmethod
    def parse(cls, value: str) -> Perimetre:
        """A perimeter written as the dashboard's parameter: "FR", "region:<code>",
        "departement:<code>". ValueError (with a French message) otherwise."""
        value = (value or "").strip()
        if value.upper() == "FR":
            return NATIONAL
        kind, _, code = value.partition(":")
        if kind == "region" and code:
            return cls(regions=frozenset({code}))
        if kind == "departement" and code:
            return cls(departements=frozenset({code}))
        raise ValueError(
            f"Périmètre « {value} » inconnu : écrivez FR, region:<code> ou departement:<code>."
        )

    @property
    def param(self) -> str:
        """The inverse of `parse` for a perimeter of one territory (or France)."""
        if self.national:
            return "FR"
        if len(self.regions) == 1 and not (self.departements or self.epcis or self.communes):
            return f"region:{next(iter(self.regions))}"
        if len(self.departements) == 1 and not (self.regions or self.epcis or self.communes):
            return f"departement:{next(iter(self.departements))}"
        raise ValueError("Ce périmètre n’est pas un territoire unique.")

    @property
    def is_empty(self) -> bool:
        return not (
            self.national or self.regions or self.departements or self.epcis or self.communes
        )

    def contains(self, commune) -> bool:
        """Is `commune` inside? (No query, unless régions must be read from its département.)"""
        if self.national:
            return True
        return (
            commune.pk in self.communes
            or commune.epci_id in self.epcis
            or commune.departement_id in self.departements
            or (
                bool(self.regions)
                and commune.departement_id is not None
                and commune.departement.region_id in self.regions
            )
        )

    def communes_q(self, path: str = "") -> Q:
        """A filter keeping the rows whose commune (reached through `path`) is in the perimeter.

        `path` is "" on `Commune` itself, "commune__" through a foreign key, "communes__"
        through a many-to-many relation (the caller then wraps it in `Exists` or `distinct()`).
        """
        if self.national:
            return Q()
        condition = Q(pk__in=[])  # matches nothing: an empty perimeter sees nothing
        if self.regions:
            condition |= Q(**{f"{path}departement__region__in": self.regions})
        if self.departements:
            condition |= Q(**{f"{path}departement__in": self.departements})
        if self.epcis:
            condition |= Q(**{f"{path}epci__in": self.epcis})
        if self.communes:
            condition |= Q(**{f"{path}pk__in": self.communes})
        return condition


VIDE = Perimetre()
NATIONAL = Perimetre(national=True)


def visible_through_communes(queryset, user, field: str = "communes"):
    """Keep the objects of `queryset` one of whose communes (the many-to-many relation
    `field`) `user` may see: the `for_user` of every object shared by several communes."""
    from communes.models import Commune

    perimetre = Perimetre.of(user)
    if perimetre.national:
        return queryset
    through = queryset.model._meta.get_field(field).remote_field.through
    owner = queryset.model._meta.model_name
    visible = through.objects.filter(
        **{owner: OuterRef("pk")},
        commune__in=Commune.objects.filter(perimetre.communes_q()),
    )
    return queryset.filter(Exists(visible))
