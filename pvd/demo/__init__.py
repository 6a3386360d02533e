"""Demo data of the three pillars, on top of the real programme, in the proportions of the
national dashboard of seed 001 (`reference.py`): chefs de projet and their co-financing, VTA,
soutiens en ingénierie, besoins exprimés, actions, financements (DETR, DSIL, FNADT, Fonds
friches, the Banque des Territoires' commerce measures) and labels; the Club's events,
registrations and attendance, its cercle thématique and audience (`club.py`).

- **Deterministic.** Every draw comes from `random.Random` seeded by (`seed`, section), over
  communes and conventions sorted by their codes: the same seed gives the same figures, on
  SQLite as on PostgreSQL.
- **Exact where seed 001 is.** Counts and totals scale with the number of lauréates over
  the 1,646 of the real list: on the real programme at scale 1 the DETR lines of 770 communes
  sum to exactly 91,689,327.95 €, the soutiens of 513 communes to 20,959,057 € (Cerema in
  days apart), and so on; percentages (besoins, actions, labels) are drawn as exact counts.
  Besoins are drawn over the communes with a signed adhésion, soutiens too; the other figures
  over the lauréates.
- **Scale N.** N times the communes, not N times the lines in the same communes: seed 001's
  figures are counts of *communes* (770 beneficiaries of the DETR…), which reusing the 1,646
  real communes could not multiply beyond them. So (N - 1) x 1,646 more communes of fewer than
  20,000 inhabitants are drawn among the others of the territories' table and made lauréates
  (a retenue candidature) and, in the real proportion, signatories of conventions d'adhésion
  grouped by EPCI; every figure then scales by N, amounts included. The portal then shows
  N x 1,646 PVD communes: scale N is for benchmarks, scale 1 for the demo.
- **Idempotent.** Every generated row (enrolled communes' candidatures and conventions
  included) has a creation history row with the reason « Données de démonstration (échelle
  N, graine S) ». A run with the options of the rows in place does nothing; any other run
  deletes them first (their history with them) and generates anew, in one transaction.
- **The Club** is national: its calendar is the same at every scale, only attendances (and
  people) scale with the communes. Its upcoming events are dated from the day of the run.
- **Bulk.** `bulk_create` of objects, many-to-many links and history rows, as the
  programme import does (`ecriture.py`); scale 10 is a few hundred thousand rows.

Preconditions: the territories, the programme (`import_programme`) and the referential of
partners (migration financements 0002; `sync_collectivites` for the conseils départementaux,
else their share goes to the Ademe).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db import transaction

from club.models import Evenement
from conventions.models import Candidature, ConventionAdhesion
from financements.models import Action, ComiteFinanceurs, Financement, Label, Versement
from ingenierie.models import BesoinsExprimes, PosteChefDeProjet, PosteVTA, SoutienIngenierie
from pvd.demo.club import MODELES_CLUB, remove_club
from pvd.demo.ecriture import Ecrivain, raison, reasons, remove
from pvd.exceptions import DomainError

# Dependents first: the order of deletion.
MODELES = (
    Versement,
    Financement,
    ComiteFinanceurs,
    PosteVTA,
    PosteChefDeProjet,
    SoutienIngenierie,
    BesoinsExprimes,
    Label,
    Action,
    ConventionAdhesion,
    Candidature,
)


@dataclass
class RapportDemo:
    scale: int
    seed: int
    created: dict[str, int] = field(default_factory=dict)
    removed: int = 0
    deja_genere: bool = False
    duree: float = 0.0


def generated_reasons() -> set[str]:
    return set().union(*(reasons(model) for model in MODELES + MODELES_CLUB))


def complete(reason: str) -> bool:
    """Are the rows of `reason`, and only they, in place, the Club's included (a run of the
    generator before the Club had none)?"""
    return generated_reasons() == {reason} and reasons(Evenement) == {reason}


@transaction.atomic
def remove_demo() -> int:
    """Delete every generated row (the Club's first: its people and events refer to
    communes and users only); returns how many."""
    return remove_club() + sum(remove(model) for model in MODELES)


def generate_demo(*, scale: int = 1, seed: int = 1, force: bool = False) -> RapportDemo:
    if scale < 1:
        raise DomainError("L’échelle doit être un entier positif.")
    started = time.perf_counter()
    rapport = RapportDemo(scale=scale, seed=seed)
    reason = raison(scale, seed)
    in_place = generated_reasons()
    if complete(reason) and not force:
        rapport.deja_genere = True
    else:
        from pvd.demo.generateur import Generateur

        with transaction.atomic():
            rapport.removed = remove_demo() if in_place else 0
            ecrivain = Ecrivain(reason)
            rapport.created = Generateur(scale=scale, seed=seed, ecrivain=ecrivain).run()
    rapport.duree = time.perf_counter() - started
    return rapport
