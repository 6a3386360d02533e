"""The Club's figures as they stood at the end of a day, for France, a région or a département:
what the national dashboard shows under « Le Club » (seed 001), with keys that it prefixes by
`club_`."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from club.enums import Canal, TypeEvenement
from club.models import (
    Cercle,
    Evenement,
    Inscription,
    MembreCercle,
    MesureAudience,
    fin_de_journee,
)
from communes.models import Commune
from communes.perimetre import Perimetre


def chiffres_club(perimetre: Perimetre, day: date) -> dict:
    """The Club's figures at the end of `day` (Paris time) for `perimetre`:

    - `semaines_thematiques`, `webinaires`: published events of that kind begun by that day;
    - `communes_valorisees`: distinct communes showcased by published events begun by then;
    - `participants`: `personnes` (distinct people) and `participations` (attendances: a
      registration marked present) at published events begun by then;
    - `formations`: `sessions` begun by then, their `modules` begun by then, and the
      `participants` (attendances) of those sessions;
    - `cercles`: `cercles` begun by then, and their `membres` that day (memberships whose
      « depuis » is on or before the day and whose « jusqu’au », if any, is not before it);
    - `audience`: each channel's last figure measured on or before the day (None if none).

    The perimeter rule. For France, everything. For a région or a département, an event
    counts when `EvenementQuerySet.of_perimetre` keeps it (local to it, showcasing one of its
    communes, or attended by one of its people); attendances count only the people whose
    commune (`Participant.commune`) is in the perimeter (people without a commune: partners,
    State agents, count for France only); communes valorisées only those of the perimeter;
    a cercle counts when one of its members came from a commune of the perimeter by that day,
    and its members only those of its communes. The audience figures are national: the same
    for every perimeter.

    Cancelled, draft and proposed events never count. Five aggregate queries, whatever the
    volume of data.
    """
    fin = fin_de_journee(day)
    held = Evenement.objects.held_by(day)
    evenements = held.of_perimetre(perimetre)
    presences = Inscription.objects.filter(present=True, evenement__in=held.values("pk"))
    valorisations = Evenement.communes_valorisees.through.objects.filter(
        evenement__in=held.values("pk")
    )
    cercles = Cercle.objects.started_by(day)
    # The members of a cercle that day (a filter on `Cercle.membres`).
    membres = Q(membres__depuis__lte=day) & (
        Q(membres__jusqu_au__isnull=True) | Q(membres__jusqu_au__gte=day)
    )
    if not perimetre.national:
        communes = Commune.objects.filter(perimetre.communes_q()).values("pk")
        presences = presences.filter(participant__commune__in=communes)
        valorisations = valorisations.filter(commune__in=communes)
        cercles = cercles.filter(
            pk__in=MembreCercle.objects.filter(commune__in=communes, depuis__lte=day).values(
                "cercle"
            )
        )
        membres &= Q(membres__commune__in=communes)

    # The events joined to their modules: each count is distinct.
    par_type = evenements.aggregate(
        semaines=Count("pk", distinct=True, filter=Q(type=TypeEvenement.SEMAINE_THEMATIQUE)),
        webinaires=Count("pk", distinct=True, filter=Q(type=TypeEvenement.WEBINAIRE)),
        sessions=Count("pk", distinct=True, filter=Q(type=TypeEvenement.FORMATION)),
        modules=Count(
            "modules",
            distinct=True,
            filter=Q(type=TypeEvenement.FORMATION, modules__debut__lte=fin),
        ),
    )
    # The cercles joined to their members: the members that day, of the perimeter's communes.
    par_cercle = cercles.aggregate(
        cercles=Count("pk", distinct=True),
        membres=Count("membres", distinct=True, filter=membres),
    )
    participants = presences.aggregate(
        personnes=Count("participant", distinct=True),
        participations=Count("pk"),
        formation=Count("pk", filter=Q(evenement__type=TypeEvenement.FORMATION)),
    )
    # A few figures per channel and period, typed by hand: read in one query.
    audience = MesureAudience.objects.latest_by(day)
    return {
        "semaines_thematiques": par_type["semaines"],
        "webinaires": par_type["webinaires"],
        "communes_valorisees": valorisations.values("commune").distinct().count(),
        "participants": {
            "personnes": participants["personnes"],
            "participations": participants["participations"],
        },
        "formations": {
            "sessions": par_type["sessions"],
            "modules": par_type["modules"],
            "participants": participants["formation"],
        },
        "cercles": {
            "cercles": par_cercle["cercles"],
            "membres": par_cercle["membres"],
        },
        "audience": {canal: audience.get(canal) for canal in Canal.values},
    }
