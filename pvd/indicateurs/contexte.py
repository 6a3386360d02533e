"""What every group of indicators shares: the perimeter, the date, and the PVD communes of the
perimeter as they stood that day (computed once)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from communes.models import Commune
from communes.perimetre import Perimetre


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
    def communes_pvd(self):
        """The perimeter's PVD communes on that day: a lauréate candidature decided on or
        before it (imported lauréates, whose decision date is unknown, always count)."""
        from conventions.models import Dossier

        return Dossier.objects.pvd_le(self.jour).filter(self.perimetre.communes_q())

    @cached_property
    def nombre_pvd(self) -> int:
        return self.communes_pvd.count()
