"""Background jobs of the Club: thin, they take ids and call a service or send a mail.

Each is safe to run twice: the services claim a mail (a conditional update) before sending
it.
"""

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

RETRY = {"autoretry_for": (SMTPException, OSError), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def notify_inscription(inscription_id: int) -> bool:
    from club.services import notify_inscription as notify

    return notify(inscription_id)


@shared_task(**RETRY)
def send_reminders() -> int:
    """Daily (Celery beat): tomorrow's events reminded to each registered person, once."""
    from club.services import send_reminders as send

    return send(today=timezone.localdate())


def _each_inscription(evenement_id: int, inscription_ids: list[int], send) -> int:
    from club.models import Inscription

    inscriptions = Inscription.objects.select_related(
        "evenement__thematique", "evenement__commune", "participant"
    ).filter(evenement_id=evenement_id, pk__in=inscription_ids)
    count = 0
    for inscription in inscriptions:
        send(inscription)
        count += 1
    return count


@shared_task(**RETRY)
def notify_event_cancelled(evenement_id: int, inscription_ids: list[int]) -> int:
    from club.emails import send_event_cancelled

    return _each_inscription(evenement_id, inscription_ids, send_event_cancelled)


@shared_task(**RETRY)
def notify_event_changed(evenement_id: int, inscription_ids: list[int]) -> int:
    from club.emails import send_event_changed

    return _each_inscription(evenement_id, inscription_ids, send_event_changed)
