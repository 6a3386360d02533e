from datetime import date

from django.urls import reverse

from conventions.models import DigestEcheances
from conventions.services.echeances import send_deadline_digests
from conventions.tasks import send_deadline_digests as task


def test_the_digest_is_sent_once_a_day_even_if_the_job_runs_twice(
    adhesion_signee, prefecture_58, prefecture_07, mailoutbox
):
    today = date(2022, 10, 1)  # Clamecy and Armes due on 21/12/2022: within 90 days

    assert send_deadline_digests(today) == 1
    assert send_deadline_digests(today) == 0

    assert [m.to for m in mailoutbox] == [["pref58@nievre.gouv.fr"]]
    body = mailoutbox[0].body
    assert "À échéance dans les 90 jours (2)" in body
    assert "Clamecy : dû le 21/12/2022" in body
    assert DigestEcheances.objects.count() == 1
    assert send_deadline_digests(date(2022, 10, 2)) == 1  # the next day, again


def test_overdue_projets_are_listed_and_nothing_is_sent_without_deadlines(
    adhesion_signee, prefecture_58, mailoutbox
):
    assert send_deadline_digests(date(2021, 7, 1)) == 0  # due in 2022: nothing yet
    assert send_deadline_digests(date(2023, 1, 5)) == 1
    assert "En retard (2)" in mailoutbox[0].body


def test_the_celery_task_runs_the_service(adhesion_signee, prefecture_58, mailoutbox):
    # Today the 2021 adhésion is long overdue.
    assert task.delay().get() == 1
    assert task.delay().get() == 0


def test_the_prefecture_lists(client, adhesion_signee, prefecture_58, prefecture_07):
    client.force_login(prefecture_58)
    listes = client.get(reverse("conventions:echeances")).context["listes"]
    assert [(liste.departement.code, len(liste.en_retard)) for liste in listes] == [("58", 2)]

    client.force_login(prefecture_07)
    assert client.get(reverse("conventions:echeances")).context["listes"] == []
