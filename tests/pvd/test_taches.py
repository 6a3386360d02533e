"""Jobs that survive a broker outage (`pvd.taches`): recorded with the action, published after
its commit, kept while the broker is down, published by the relay once it is back."""

import pytest
import redis
from celery import shared_task
from django.conf import settings
from django.db import transaction

from pvd import taches
from pvd.models import TacheEnAttente

FAITES: list = []


@shared_task(name="tests.noter")
def noter(valeur):
    FAITES.append(valeur)


@pytest.fixture(autouse=True)
def _vide():
    FAITES.clear()


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_job_runs_after_the_commit_and_leaves_no_row():
    with transaction.atomic():
        taches.planifier(noter, "a")
        assert FAITES == []  # not before the commit
        assert TacheEnAttente.objects.count() == 1

    assert FAITES == ["a"]
    assert not TacheEnAttente.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_action_queues_nothing():
    def action_refusee():
        with transaction.atomic():
            taches.planifier(noter, "b")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        action_refusee()

    assert FAITES == []
    assert not TacheEnAttente.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_action_commits_and_its_job_waits(broker):
    broker("redis://127.0.0.1:1/0")  # nothing listens there

    with transaction.atomic():
        taches.planifier(noter, "c")

    tache = TacheEnAttente.objects.get()
    assert tache.essais == 1
    assert "111" in tache.derniere_erreur or "refused" in tache.derniere_erreur.lower()
    assert FAITES == []
    assert taches.relayer() == (0, 0)  # too recent: left to its own publication
    TacheEnAttente.objects.update(creee_le=tache.creee_le - taches.DELAI_AVANT_RELAIS * 2)
    assert taches.relayer() == (0, 1)  # still down
    assert TacheEnAttente.objects.get().essais == 2


@pytest.mark.django_db(transaction=True)
def test_once_the_broker_is_back_the_relay_publishes_the_job(broker):
    if not settings.REDIS_URL:
        pytest.skip("demande Redis")
    url = settings.REDIS_URL.rsplit("/", 1)[0] + "/4"
    file = redis.Redis.from_url(url)
    file.flushdb()
    broker("redis://127.0.0.1:1/0")
    with transaction.atomic():
        taches.planifier(noter, "d")
    TacheEnAttente.objects.update(creee_le=TacheEnAttente.objects.get().creee_le.replace(year=2020))

    broker(url)  # Redis is back
    assert taches.relayer() == (1, 0)

    assert not TacheEnAttente.objects.exists()
    assert file.llen("celery") == 1  # the message a worker will take
    file.flushdb()
