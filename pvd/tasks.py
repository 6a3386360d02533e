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


class _ExportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Out of retries: the export is marked « échec », so that it can be asked again."""
        from pvd.exports.services import abandonner_export

        export_id = args[0] if args else kwargs.get("export_id")
        if export_id is not None:
            abandonner_export(
                export_id, "L’export n’a pas pu être produit. Vous pouvez le demander à nouveau."
            )


@shared_task(base=_ExportTask, autoretry_for=ERREURS_PASSAGERES, retry_backoff=True, max_retries=5)
def construire_export(export_id: int) -> str:
    """Build the file of the export `export_id` (idempotent: a ready export is left untouched).
    Returns its state."""
    from pvd.exports import services

    return services.construire_export(export_id).etat


@shared_task
def relayer_taches() -> dict:
    """Publish the jobs that the broker refused when they were asked for (`pvd.taches`): run
    by beat every minute, so it reaches a worker only once the broker answers again."""
    from pvd import taches

    publiees, restantes = taches.relayer()
    return {"publiees": publiees, "restantes": restantes}
