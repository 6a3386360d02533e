"""With Redis stopped, an action that queues a job still succeeds, and its job runs once Redis
is back: a real Redis server of the test's own (stopped, then started) and a real Celery
worker, on PostgreSQL (skipped without it or without `redis-server`)."""

import os
import shutil
import signal
import socket
import subprocess
from datetime import date
from pathlib import Path

import pytest
import redis
from django.db import connection

from communes.perimetre import Perimetre
from pvd import taches
from pvd.models import EtatNote, NoteSuivi, TacheEnAttente
from pvd.notes.services import demander_note
from tests.pvd.test_notes_worker import _attendre, _worker

pytestmark = pytest.mark.worker


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_arrete():
    """The address of a Redis server that is not running yet, and a function that starts it."""
    if connection.vendor != "postgresql" or not shutil.which("redis-server"):
        pytest.skip("demande PostgreSQL et redis-server")
    port = _port_libre()
    serveurs = []

    def demarrer():
        serveurs.append(
            subprocess.Popen(
                ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        client = redis.Redis(port=port)
        assert _attendre(lambda: _repond(client), 10), "redis-server n’a pas démarré"

    yield f"redis://127.0.0.1:{port}/0", demarrer
    for serveur in serveurs:
        serveur.terminate()
        serveur.wait(timeout=10)


def _repond(client) -> bool:
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_the_request_succeeds_and_the_note_is_built_once_it_is_back(
    broker,
    redis_arrete,
    anct,
    monde,
    settings,
):
    url, demarrer = redis_arrete
    broker(url)

    note = demander_note(by=anct, perimetre=Perimetre.parse("FR"), jour=date(2021, 10, 15))

    # The request is done: the note is recorded, its job waits for the broker.
    assert NoteSuivi.objects.get(pk=note.pk).etat == EtatNote.EN_ATTENTE
    attente = TacheEnAttente.objects.get()
    assert attente.tache == "pvd.tasks.construire_note"
    assert attente.args == [note.pk]

    demarrer()
    worker = _worker(0, url, Path(settings.MEDIA_ROOT))
    try:
        # Beat's next tick, a minute later: the relay publishes the waiting job.
        TacheEnAttente.objects.update(creee_le=attente.creee_le - taches.DELAI_AVANT_RELAIS * 2)
        assert taches.relayer() == (1, 0)
        prete = _attendre(
            lambda: NoteSuivi.objects.filter(pk=note.pk, etat=EtatNote.PRETE).exists(), 90
        )
        assert prete, "la note n’a pas été construite après le retour de Redis"
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)

    assert not TacheEnAttente.objects.exists()
    assert NoteSuivi.objects.count() == 1
