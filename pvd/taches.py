"""Background jobs that survive a broker outage (imports no app: every app queues through it).

`planifier(task, *args)` records the job in the current transaction (`TacheEnAttente`) and
publishes it once the transaction commits. If the broker (Redis) does not answer, the
publication fails quietly: the action that asked for the job has committed and its page
answers as usual; the row stays, and `relayer_taches` (a Celery beat task, every minute, which
reaches a worker only once the broker is back) publishes it. A job can thus be published twice
(published, then the row's deletion lost): every task of the portal is idempotent.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from pvd.celery import app as celery_app  # the portal's app, whichever app is « current »
from pvd.models import TacheEnAttente

logger = logging.getLogger(__name__)

# A job younger than this is left to the publication that follows its commit.
DELAI_AVANT_RELAIS = timedelta(seconds=30)


def planifier(task, *args, **kwargs) -> TacheEnAttente:
    tache = TacheEnAttente.objects.create(tache=task.name, args=list(args), kwargs=kwargs)
    transaction.on_commit(partial(publier, tache.pk), robust=True)
    return tache


def _publier(tache: TacheEnAttente) -> bool:
    try:
        # One short try: with the broker down, the request must not wait (kombu's defaults
        # would retry for seconds); the relay will try again. A connection of its own, cheap
        # on Redis (a few milliseconds), so that the pool's retry policy does not apply.
        with celery_app.connection_for_write() as connexion:
            connexion.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0.2, interval_max=0.2, timeout=2
            )
            celery_app.send_task(
                tache.tache,
                args=tache.args,
                kwargs=tache.kwargs,
                connection=connexion,
                retry=False,
            )
    except Exception as error:  # kombu's OperationalError, a refused connection, a timeout…
        tache.essais += 1
        tache.derniere_erreur = f"{type(error).__name__}: {error}"[:2000]
        tache.save(update_fields=["essais", "derniere_erreur"])
        logger.warning("Broker injoignable, %s reste en attente : %s", tache, error)
        return False
    tache.delete()
    return True


def publier(pk: int) -> bool:
    """Publish one job (after its transaction's commit). False when the broker refused it."""
    if celery_app.conf.task_always_eager:
        # No broker (the embedded default, tests): the task runs here and now.
        tache = TacheEnAttente.objects.filter(pk=pk).first()
        if tache is None:
            return True
        tache.delete()
        celery_app.tasks[tache.tache].apply_async(args=tache.args, kwargs=tache.kwargs)
        return True
    with transaction.atomic():
        tache = TacheEnAttente.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        return True if tache is None else _publier(tache)


def relayer(limite: int = 500) -> tuple[int, int]:
    """Publish the jobs still waiting (oldest first): (published, still waiting)."""
    publiees = restantes = 0
    avant = timezone.now() - DELAI_AVANT_RELAIS
    with transaction.atomic():
        for tache in TacheEnAttente.objects.select_for_update(skip_locked=True).filter(
            creee_le__lt=avant
        )[:limite]:
            if _publier(tache):
                publiees += 1
            else:
                restantes += 1
                break  # the broker is down again: the next run will go on
    return publiees, restantes
