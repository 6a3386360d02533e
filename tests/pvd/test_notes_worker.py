"""A note request survives a worker killed in the middle of its PDF: with a real Celery worker
on PostgreSQL and Redis (skipped without them). Late acknowledgement keeps the task in Redis;
once its visibility timeout is over, the next worker gets it again, waits for the dead worker's
hold on the note to end, and publishes the note, once."""

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection

from pvd.models import EtatNote, NoteSuivi

ROOT = Path(__file__).resolve().parents[2]
JOUR = date(2021, 10, 15)

pytestmark = pytest.mark.worker


def _broker() -> str:
    """A Redis database of its own for the broker (the tests' cache uses another)."""
    parts = urlsplit(settings.REDIS_URL)
    return urlunsplit(parts._replace(path="/3"))


def _database_url() -> str:
    d = connection.settings_dict
    return f"postgres://{d['USER']}:{d['PASSWORD'] or ''}@{d['HOST']}:{d['PORT']}/{d['NAME']}"


def _worker(delai: float, broker: str, media: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(media),
        # Seconds instead of minutes: the hold on a note, the broker's visibility timeout and
        # its sweeps for unacknowledged tasks.
        "NOTE_BAIL_SECONDS": "4",
        "CELERY_VISIBILITY_TIMEOUT": "2",
        "CELERY_RESTORE_INTERVAL": "1",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.pvd.worker_lent",
            str(delai),
            "--pool=prefork",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # killed with its pool
    )


def _attendre(predicate, secondes: float):
    fin = time.monotonic() + secondes
    while time.monotonic() < fin:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def broker():
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("un vrai worker Celery demande PostgreSQL et Redis")
    url = _broker()
    redis.Redis.from_url(url).flushdb()
    yield url
    redis.Redis.from_url(url).flushdb()


@pytest.mark.django_db(transaction=True)
def test_a_note_survives_a_worker_killed_in_the_middle_and_is_published_once(
    broker, monde, settings
):
    media = Path(settings.MEDIA_ROOT)
    note = NoteSuivi.objects.create(perimetre="FR", date=JOUR)
    # Not « current »: the portal's own app stays the one tasks are queued with.
    producteur = Celery(broker=broker, set_as_current=False)
    producteur.send_task("pvd.tasks.construire_note", args=[note.pk])

    premier = _worker(30, broker, media)
    try:
        en_cours = _attendre(
            lambda: NoteSuivi.objects.filter(pk=note.pk, etat=EtatNote.EN_COURS).exists(), 60
        )
        assert en_cours, "le premier worker n’a pas pris la note"
    finally:
        os.killpg(premier.pid, signal.SIGKILL)
        premier.wait()
    note.refresh_from_db()
    assert note.etat == EtatNote.EN_COURS
    assert not note.fichier

    second = _worker(0, broker, media)
    try:
        publiee = _attendre(
            lambda: NoteSuivi.objects.filter(pk=note.pk, etat=EtatNote.PRETE).exists(), 90
        )
        assert publiee, "la note n’a pas été reprise après l’arrêt du worker"
        time.sleep(3)  # a task delivered twice would have had time to write again
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)

    note.refresh_from_db()
    assert NoteSuivi.objects.count() == 1
    assert note.etat == EtatNote.PRETE
    assert "communes_pvd" in note.valeurs
    assert note.fichier.read(5) == b"%PDF-"
    note.fichier.close()
    assert [p.name for p in (media / "notes").iterdir()] == [Path(note.fichier.name).name]
