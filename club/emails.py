"""The Club's e-mails: what is said to a person about their registration, with the event as
an iCalendar attachment. Sending is the tasks' business (`tasks.py`): these functions only
build and send one message."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from club.calendrier import calendrier
from club.enums import EtatInscription
from club.models import Inscription

ICS_MIMETYPE = "text/calendar; charset=utf-8"


def _send(inscription: Inscription, template: str, subject: str, *, ics: bytes | None, **extra):
    evenement = inscription.evenement
    context = {
        "inscription": inscription,
        "evenement": evenement,
        "participant": inscription.participant,
        "lien_evenement": settings.SITE_URL + evenement.get_absolute_url(),
        "lien_inscriptions": settings.SITE_URL + reverse("club:mes_inscriptions"),
        **extra,
    }
    message = EmailMessage(
        subject=subject,
        body=render_to_string(f"club/emails/{template}.txt", context),
        to=[inscription.participant.email],
    )
    if ics is not None:
        message.attach("evenement.ics", ics, ICS_MIMETYPE)
    message.send()


def send_state_email(inscription: Inscription, previous: str) -> None:
    """The e-mail telling the person the state of their registration (`previous`: the state
    they were last told)."""
    evenement = inscription.evenement
    if inscription.etat == EtatInscription.INSCRIT:
        promoted = previous == EtatInscription.ATTENTE
        _send(
            inscription,
            "inscription_confirmee",
            (
                f"Une place s’est libérée : vous êtes inscrit à « {evenement} »"
                if promoted
                else f"Inscription confirmée : {evenement}"
            ),
            ics=calendrier([evenement], avec_lien=True),
            promu=promoted,
        )
    elif inscription.etat == EtatInscription.ATTENTE:
        rang = (
            Inscription.objects.filter(
                evenement=evenement,
                etat=EtatInscription.ATTENTE,
                demandee_le__lte=inscription.demandee_le,
            ).count()
            or 1
        )
        _send(
            inscription,
            "inscription_attente",
            f"Liste d’attente : {evenement}",
            ics=None,
            rang=rang,
        )
    elif previous == EtatInscription.INSCRIT:
        # A withdrawn place: the calendar entry sent with the confirmation is cancelled.
        _send(
            inscription,
            "inscription_annulee",
            f"Inscription annulée : {evenement}",
            ics=calendrier([evenement], annule=True),
        )
    elif previous == EtatInscription.ATTENTE:
        _send(inscription, "inscription_annulee", f"Inscription annulée : {evenement}", ics=None)


def send_reminder(inscription: Inscription) -> None:
    evenement = inscription.evenement
    _send(
        inscription,
        "rappel",
        f"Rappel : « {evenement} » a lieu demain",
        ics=calendrier([evenement], avec_lien=True),
    )


def send_event_cancelled(inscription: Inscription) -> None:
    evenement = inscription.evenement
    _send(
        inscription,
        "evenement_annule",
        f"Événement annulé : {evenement}",
        ics=calendrier([evenement], annule=True),
    )


def send_event_changed(inscription: Inscription) -> None:
    evenement = inscription.evenement
    _send(
        inscription,
        "evenement_modifie",
        f"Changement d’horaire ou de lieu : {evenement}",
        ics=calendrier([evenement], avec_lien=True),
    )
