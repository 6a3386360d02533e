"""Background jobs of a commune's journey: thin, they call a service."""

from celery import shared_task
from django.utils import timezone


@shared_task
def send_deadline_digests() -> int:
    """Daily (Celery beat): the préfectures' deadline digests. Safe to run twice a day."""
    from conventions.services.echeances import send_deadline_digests as send

    return send(today=timezone.localdate())
