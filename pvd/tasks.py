"""Background jobs of the national layer: thin, they take ids and call a service
(`pvd.notes.services`). `acks_late` is global (settings): a task whose worker died is delivered
again, and the service makes a second run harmless."""

from celery import Task, shared_task
from django.utils import timezone

from pvd.notes.services import ERREURS_PASSAGERES, NoteEnCours


class _NoteTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Out of retries: the note is marked « échec », so that it can be asked again."""
        from pvd.notes.services import abandonner_note

        note_id = args[0] if args else kwargs.get("note_id")
        if note_id is not None and isinstance(exc, (*ERREURS_PASSAGERES, NoteEnCours)):
            abandonner_note(
                note_id,
                "La note n’a pas pu être produite après plusieurs essais (base de données ou "
                "service indisponible). Vous pouvez la demander à nouveau.",
            )


@shared_task(
    bind=True,
    base=_NoteTask,
    autoretry_for=ERREURS_PASSAGERES,
    retry_backoff=True,
    max_retries=5,
)
def construire_note(self, note_id: int) -> str:
    """Build the note `note_id` (idempotent: a published note is left untouched). Returns its
    state."""
    from pvd.notes import services

    try:
        return services.construire_note(note_id).etat
    except NoteEnCours as en_cours:
        # Another worker holds it: come back when its hold is over (it has then published the
        # note, or died and the note is taken over).
        raise self.retry(exc=en_cours, countdown=max(1, round(en_cours.attente)) + 1) from None


@shared_task(autoretry_for=ERREURS_PASSAGERES, retry_backoff=True, max_retries=5)
def preparer_note_trimestrielle() -> int:
    """Each quarter (Celery beat): the national note at the end of the quarter just ended.
    Run twice, it asks for the same note once."""
    from pvd.notes import services

    return services.preparer_note_trimestrielle(today=timezone.localdate()).pk
