from datetime import date

from celery.schedules import crontab
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conventions.services.candidatures import (
    create_candidature,
    decide_candidature,
    instruct_candidature,
)
from tests.factories import CommuneFactory


def test_the_digest_runs_every_morning():
    job = settings.CELERY_BEAT_SCHEDULE["digest-echeances-quotidien"]

    assert job["task"] == "conventions.tasks.send_deadline_digests"
    assert job["schedule"] == crontab(hour=7, minute=0)


def test_the_admin_shows_the_journey_but_does_not_edit_it(
    client, adhesion_signee, django_user_model
):
    client.force_login(django_user_model.objects.create_superuser("admin@anct.gouv.fr", "x" * 16))
    url = reverse("admin:conventions_conventionadhesion_change", args=[adhesion_signee.pk])

    assert client.get(url).status_code == 200
    assert client.post(url, {"etat": "en_preparation"}).status_code == 403
    history = reverse("admin:conventions_conventionadhesion_history", args=[adhesion_signee.pk])
    assert client.get(history).status_code == 200


def _laureate(commune, prefecture, region):
    candidature = create_candidature(
        by=prefecture, communes=[commune], deposee_le=date(2020, 11, 2)
    )
    candidature = instruct_candidature(candidature=candidature, by=prefecture, avis="favorable")
    decide_candidature(
        candidature=candidature, by=region, retenue=True, decidee_le=date(2020, 12, 10)
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_public_pages_cost_the_same_with_2_or_30_communes(
    client, laureates, prefecture_58, region_27, monde
):
    urls = [
        reverse("conventions:public_list"),
        reverse("conventions:public_map"),
        reverse("conventions:opendata_communes"),
    ]
    few = [_queries(client, url) for url in urls]
    for n in range(28):
        _laureate(
            CommuneFactory(departement=monde.nievre, nom=f"Bourg {n}"), prefecture_58, region_27
        )

    assert [_queries(client, url) for url in urls] == few
