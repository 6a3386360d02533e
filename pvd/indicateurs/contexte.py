"""What every group of indicators shares: the perimeter, the date, and the PVD communes of the
perimeter as they stood that day (computed once)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db.models import Exists, OuterRef, Q

from communes.models import Commune
from communes.perimetre import Perimetre

# A région or a département with at most this many PVD communes gives the groups their codes as
# a list, read once: the database then finds each group's rows by index from a few known codes,
# and estimates them well, instead of joining the whole programme's lauréates again in every
# query (a département's figures stay as fast when the programme grows). Above it (a large
# région at scale 10), long lists cost more than they save: the groups keep the subquery.
LISTE_MAX = 400


@dataclass
class Contexte:
    perimetre: Perimetre
    jour: date
    _cache: dict = field(default_factory=dict, repr=False)

    @cached_property
    def communes(self):
        """The perimeter's communes (a queryset to filter with, not to list)."""
        return Commune.objects.filter(self.perimetre.communes_q())

    @cached_property
    def _from_candidatures(self):
        """The perimeter's PVD communes on that day: a lauréate candidature decided on or
        before it (imported lauréates, whose decision date is unknown, always count)."""
        from conventions.models import Dossier

        return Dossier.objects.pvd_le(self.jour).filter(self.perimetre.communes_q())

    @cached_property
    def codes_pvd(self) -> list[str] | None:
        """The codes of the perimeter's PVD communes when there are at most `LISTE_MAX` of
        them (one query, which also gives their number); None for France, larger perimeters
        and perimeters without any."""
        if self.perimetre.national:
            return None
        codes = list(
            self._from_candidatures.order_by().values_list("pk", flat=True)[: LISTE_MAX + 1]
        )
        if len(codes) > LISTE_MAX:
            return None
        self.retenir_nombre_pvd(len(codes))
        # No lauréate: an empty list would make Django skip the queries (EmptyResultSet,
        # which the `UNION` of the orientations cannot take): the subquery finds nothing.
        return codes or None

    @cached_property
    def communes_pvd(self):
        """The perimeter's PVD communes on that day (a queryset to filter with)."""
        from conventions.models import Dossier

        if self.codes_pvd is not None:
            return Dossier.objects.filter(pk__in=self.codes_pvd)
        return self._from_candidatures

    def pvd_q(self, path: str) -> Q:
        """Keep the rows whose commune (the foreign key `path`) is one of the perimeter's PVD
        communes that day: `IN` a list of a territory's codes; for France, a correlated
        `EXISTS` per row, cheaper than `IN` over every commune of France; for a large
        territory, `IN` its subquery."""
        if self.perimetre.national:
            return Q(Exists(self.communes_pvd.filter(pk=OuterRef(path))))
        if self.codes_pvd is not None:
            return Q(**{f"{path}__in": self.codes_pvd})
        return Q(**{f"{path}__in": self.communes_pvd.values("pk")})

    @cached_property
    def nombre_pvd(self) -> int:
        """Counted once; a group that reads every PVD commune anyway gives it instead
        (`retenir_nombre_pvd`), which saves the query."""
        if self.codes_pvd is not None:  # reading them recorded their number
            return len(self.codes_pvd)
        if "nombre_pvd" in self.__dict__:
            return self.__dict__["nombre_pvd"]
        return self.communes_pvd.count()

    def retenir_nombre_pvd(self, nombre: int) -> int:
        """Record the number of PVD communes a group has just counted (unless already
        known) and return the context's number."""
        return self.__dict__.setdefault("nombre_pvd", nombre)
