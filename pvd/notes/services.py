"""Writes of the notes de suivi: a request (`demander_note`), the background work that builds a
note (`construire_note`), and the quarterly national note.

The life of a note: « en attente » (requested, queued) → « en cours » (a worker took it) →
« prête » (published: its values and its PDF never change again) or « échec » (with the reason;
the same perimeter and date may then be asked again). One note per perimeter and date that has
not failed: a database constraint says so, and `demander_note` returns the existing one.

Safe to retry: a worker takes a note with a conditional update under a row lock, and holds it
for `settings.NOTE_BAIL_SECONDS` at most (3 minutes). A second worker (or a task delivered
twice) that finds it being built waits and tries again later (`NoteEnCours`); once that time
is over, it takes it over (the first worker died: Celery redelivers its unacknowledged task,
`acks_late`, after the broker's visibility timeout). The work of a worker that lost the note
is thrown away at the end, so a note is published once.
"""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from communes.perimetre import Perimetre
from pvd.dates import check_not_future
from pvd.exceptions import DomainError, NotAllowed
from pvd.models import EtatNote, NoteSuivi
from pvd.notes import perimetres
from pvd.notes.permissions import can_request_note
from pvd.taches import planifier

logger = logging.getLogger(__name__)


def _bail() -> timedelta:
    """How long a worker holds a note it builds (a build takes seconds): after that, another
    may take it over (settings.NOTE_BAIL_SECONDS, 3 minutes)."""
    return timedelta(seconds=settings.NOTE_BAIL_SECONDS)


# Errors worth another try later: the database or a service went away for a while. Any other
# error marks the note « échec » at once.
ERREURS_PASSAGERES = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


class NoteEnCours(Exception):
    """Another worker is building this note: try again in `attente` seconds."""

    def __init__(self, note_id: int, attente: float):
        super().__init__(f"La note {note_id} est en cours de construction par un autre processus.")
        self.attente = attente


def _queue(note: NoteSuivi) -> None:
    from pvd import tasks

    # After the commit; a broker that is down must not undo the request: the job waits in
    # the outbox until it is back (pvd.taches).
    planifier(tasks.construire_note, note.pk)


@transaction.atomic
def _demander(*, by, perimetre: Perimetre, jour: date) -> NoteSuivi:
    """The note of `perimetre` at `jour`, created and queued if there is none that has not
    failed. `note.nouvelle` says whether this call created it."""
    param = perimetre.param
    existing = NoteSuivi.objects.filter(perimetre=param, date=jour).exclude(etat=EtatNote.ECHEC)
    note = existing.first()
    if note is None:
        try:
            with transaction.atomic():
                note = NoteSuivi.objects.create(perimetre=param, date=jour, demandee_par=by)
        except IntegrityError:
            # Asked at the same moment by someone else: theirs is the note.
            note = existing.get()
            note.nouvelle = False
            return note
        note.nouvelle = True
        _queue(note)
        return note
    note.nouvelle = False
    if note.etat == EtatNote.EN_ATTENTE or (
        note.etat == EtatNote.EN_COURS and note.commencee_le < timezone.now() - _bail()
    ):
        # Its task may have been lost (a broker that was down): queue it again. Building is
        # idempotent, so a second task does no harm.
        _queue(note)
    return note


def demander_note(*, by, perimetre: Perimetre, jour: date) -> NoteSuivi:
    """Ask for the note of `perimetre` (France, a région, a département) with the figures of
    `jour`, built in the background. The ANCT may ask for any perimeter, a préfecture for its
    département, a région for its région. Asking again for a note that exists (and has not
    failed) returns it (`note.nouvelle` is then False)."""
    if not can_request_note(by, perimetre):
        raise NotAllowed("Vous ne pouvez pas demander de note de suivi pour ce territoire.")
    if not perimetres.existe(perimetre):
        raise DomainError("Ce territoire n’existe pas dans le référentiel.")
    check_not_future(jour, "des chiffres")
    return _demander(by=by, perimetre=perimetre, jour=jour)


def fin_du_trimestre_precedent(today: date) -> date:
    """The last day of the quarter before the one of `today` (31 March, 30 June, 30
    September, 31 December)."""
    premier_mois = 3 * ((today.month - 1) // 3) + 1
    return date(today.year, premier_mois, 1) - timedelta(days=1)


def preparer_note_trimestrielle(*, today: date) -> NoteSuivi:
    """The national note of the quarter that just ended (Celery beat, at the start of each
    quarter). Run twice, it gives the same note."""
    from communes.perimetre import NATIONAL

    return _demander(by=None, perimetre=NATIONAL, jour=fin_du_trimestre_precedent(today))


def _prendre(note_id: int) -> NoteSuivi | None:
    """Take the note for this worker (« en cours », dated now), under a row lock. None when
    there is nothing to do: published or failed."""
    with transaction.atomic():
        note = NoteSuivi.objects.select_for_update().get(pk=note_id)
        if note.etat in (EtatNote.PRETE, EtatNote.ECHEC):
            return None
        now = timezone.now()
        bail = _bail()
        if note.etat == EtatNote.EN_COURS and note.commencee_le > now - bail:
            raise NoteEnCours(note_id, (note.commencee_le + bail - now).total_seconds())
        note.etat, note.commencee_le, note.motif_echec = EtatNote.EN_COURS, now, ""
        note.save(update_fields=["etat", "commencee_le", "motif_echec"])
        return note


def _rendre(note: NoteSuivi, etat: EtatNote, motif: str = "") -> bool:
    """Give the note back (to « en attente ») or mark it « échec », if this worker still
    holds it."""
    return bool(
        NoteSuivi.objects.filter(
            pk=note.pk, etat=EtatNote.EN_COURS, commencee_le=note.commencee_le
        ).update(etat=etat, motif_echec=motif[:2000])
    )


def _instantane(valeurs: dict) -> dict:
    """The values as the snapshot stores them (JSON): what the PDF is made from, too."""
    return json.loads(json.dumps(valeurs, cls=DjangoJSONEncoder))


def construire_note(note_id: int) -> NoteSuivi:
    """Build the note: compute its values, find the previous published note of its perimeter,
    render the PDF, and publish them together. Idempotent: a published (or failed) note is
    left as it is. On a transient error, the note goes back « en attente » and the error is
    raised again (the task retries); on any other error, the note is marked « échec » with
    the reason."""
    from pvd.indicateurs import Contexte, calculer
    from pvd.notes.pdf import render_note_pdf

    note = _prendre(note_id)
    if note is None:
        return NoteSuivi.objects.get(pk=note_id)
    etape = "le calcul des indicateurs"
    try:
        perimetre = Perimetre.parse(note.perimetre)
        valeurs = _instantane(calculer(Contexte(perimetre, note.date)))
        precedente = NoteSuivi.objects.precedente(note.perimetre, note.date)
        etape = "la mise en page du PDF"
        pdf = render_note_pdf(
            perimetre_libelle=perimetres.libelle(note.perimetre),
            jour=note.date,
            valeurs=valeurs,
            precedente=precedente,
            perimetre=note.perimetre,
        )
        etape = "l’enregistrement de la note"
        with transaction.atomic():
            locked = NoteSuivi.objects.select_for_update().get(pk=note.pk)
            if locked.etat != EtatNote.EN_COURS or locked.commencee_le != note.commencee_le:
                # Taken over by another worker meanwhile: its work is the one kept.
                return locked
            locked.fichier.save(f"{note.pk}.pdf", ContentFile(pdf), save=False)
            try:
                locked.valeurs, locked.precedente = valeurs, precedente
                locked.etat, locked.prete_le = EtatNote.PRETE, timezone.now()
                locked.save(update_fields=["fichier", "valeurs", "precedente", "etat", "prete_le"])
            except Exception:
                locked.fichier.delete(save=False)
                raise
        return locked
    except ERREURS_PASSAGERES as error:
        logger.warning("Note %s : erreur passagère pendant %s (%r)", note.pk, etape, error)
        _rendre(note, EtatNote.EN_ATTENTE, f"Nouvel essai après une erreur pendant {etape}.")
        raise
    except Exception as error:
        logger.exception("Note %s : échec pendant %s", note.pk, etape)
        detail = str(error) if isinstance(error, DomainError) else type(error).__name__
        _rendre(
            note,
            EtatNote.ECHEC,
            f"La note n’a pas pu être produite : erreur pendant {etape} ({detail}). "
            "Vous pouvez la demander à nouveau ; si l’erreur se répète, signalez-la à l’équipe "
            "du portail.",
        )
        return NoteSuivi.objects.get(pk=note.pk)


def abandonner_note(note_id: int, motif: str) -> bool:
    """Mark « échec » a note that is not published (the task gave up after its retries)."""
    return bool(
        NoteSuivi.objects.filter(
            Q(etat=EtatNote.EN_ATTENTE) | Q(etat=EtatNote.EN_COURS), pk=note_id
        ).update(etat=EtatNote.ECHEC, motif_echec=motif[:2000])
    )
