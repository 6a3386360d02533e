"""The Club's events as iCalendar (RFC 5545), with the `icalendar` library: the attachment
of the registration e-mails, the download of one event, and the public agenda's feed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from club.enums import EtatEvenement
from club.models import Evenement

PRODID = "-//ANCT//Petites villes de demain - Club//FR"


def _lieu(evenement: Evenement, avec_lien: bool) -> str:
    parts = [evenement.lieu]
    if evenement.commune_id:
        parts.append(evenement.commune.nom)
    if evenement.lien:
        parts.append(evenement.lien if avec_lien else "En ligne")
    return ", ".join(part for part in parts if part)


def vevent(evenement: Evenement, *, avec_lien: bool, annule: bool = False) -> Event:
    """One event. `avec_lien`: the online link, given to registered people only."""
    description = evenement.description
    if avec_lien and evenement.lien:
        description = f"{description}\n\nLien de connexion : {evenement.lien}".strip()
    cancelled = annule or evenement.etat == EtatEvenement.ANNULE
    return Event.new(
        uid=evenement.uid,
        summary=evenement.titre,
        start=timezone.localtime(evenement.debut),
        end=timezone.localtime(evenement.fin),
        description=description or None,
        location=_lieu(evenement, avec_lien) or None,
        url=settings.SITE_URL + evenement.get_absolute_url(),
        categories=[evenement.get_type_display(), evenement.thematique.libelle],
        # Calendars replace an event they know by the one with the higher sequence.
        sequence=evenement.version + (1 if annule else 0),
        status="CANCELLED" if cancelled else "CONFIRMED",
        stamp=timezone.now(),
    )


def calendrier(
    evenements: Iterable[Evenement],
    *,
    avec_lien: bool = False,
    annule: bool = False,
    nom: str = "Club Petites villes de demain",
) -> bytes:
    """An iCalendar file of `evenements` (their thématique and commune already fetched).

    `annule`: a cancellation (METHOD:CANCEL), sent to the people whose place is withdrawn.
    """
    cal = Calendar.new(prodid=PRODID, name=nom, method="CANCEL" if annule else "PUBLISH")
    first: datetime | None = None
    for evenement in evenements:
        cal.add_component(vevent(evenement, avec_lien=avec_lien, annule=annule))
        first = min(first, evenement.debut) if first else evenement.debut
    # The Europe/Paris VTIMEZONE, so that every calendar shows Paris times.
    cal.add_missing_timezones(first_date=(first or timezone.now()).date())
    return cal.to_ical()
