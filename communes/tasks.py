"""Background jobs of the `communes` app: thin, they take ids and call a service."""

from smtplib import SMTPException

from celery import shared_task

from communes.models import Invitation


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_id: int) -> None:
    # Imported here: the services queue this task, so they import this module first.
    from communes.services import send_invitation

    invitation = (
        Invitation.objects.select_related("habilitation__user", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is not None:
        send_invitation(invitation)
