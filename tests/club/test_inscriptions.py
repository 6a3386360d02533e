"""Registrations: places, the waiting list and its promotion, the e-mails (with their
calendar), the reminder the day before, sent once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from club import services
from club.enums import EtatInscription
from club.models import Inscription, Participant
from club.tasks import send_reminders
from communes.enums import Role
from pvd.exceptions import DomainError, NotAllowed
from tests.factories import HabilitationFactory, UserFactory

# Real commits: the e-mails are queued with `transaction.on_commit`, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def agents(monde):
    """Three agents of the préfecture of the Nièvre, who register themselves."""
    users = []
    for index in range(3):
        user = UserFactory(email=f"agent{index}@nievre.gouv.fr", first_name=f"Agent{index}")
        HabilitationFactory(user=user, role=Role.PREFECTURE, departement=monde.nievre)
        users.append(type(user).objects.get(pk=user.pk))
    return users


def _calendar(message) -> Calendar:
    (name, content, mimetype) = message.attachments[0]
    assert name == "evenement.ics"
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def test_registration_takes_a_place_and_sends_a_calendar(webinaire, commune_clamecy):
    inscription = services.inscrire_moi(evenement=webinaire, by=commune_clamecy)

    assert inscription.etat == EtatInscription.INSCRIT
    assert inscription.participant.commune_id == "58079"  # from the user's habilitation
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["maire@clamecy.fr"]
    assert "Inscription confirmée" in mail.outbox[0].subject
    event = _calendar(mail.outbox[0]).events[0]
    assert str(event["SUMMARY"]) == webinaire.titre
    assert event.start == webinaire.debut
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.start.hour == 14  # Paris time, as typed
    assert "https://webinaire.example.org/pvd-commerce" in str(event["DESCRIPTION"])


def test_a_full_event_puts_people_on_the_waiting_list_and_a_cancellation_promotes_the_first(
    webinaire, agents
):
    first, second, third = (services.inscrire_moi(evenement=webinaire, by=u) for u in agents)
    fourth_user = UserFactory(email="quatre@nievre.gouv.fr")
    HabilitationFactory(user=fourth_user, role=Role.PREFECTURE, departement_id="58")
    fourth = services.inscrire_moi(
        evenement=webinaire, by=type(fourth_user).objects.get(pk=fourth_user.pk)
    )

    assert [i.etat for i in (first, second, third, fourth)] == [
        EtatInscription.INSCRIT,
        EtatInscription.INSCRIT,
        EtatInscription.ATTENTE,
        EtatInscription.ATTENTE,
    ]
    assert "Liste d’attente" in mail.outbox[2].subject
    assert "rang 2" in mail.outbox[3].body
    mail.outbox.clear()

    services.annuler_inscription(inscription=first, by=agents[0])

    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.etat == EtatInscription.INSCRIT  # the first in line, not the last
    assert fourth.etat == EtatInscription.ATTENTE
    assert services.places(webinaire) == {"inscrits": 2, "attente": 1, "libres": 0}
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["agent0@nievre.gouv.fr"].startswith("Inscription annulée")
    assert subjects["agent2@nievre.gouv.fr"].startswith("Une place s’est libérée")
    cancel = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert str(cancel["METHOD"]) == "CANCEL"
    assert str(cancel.events[0]["STATUS"]) == "CANCELLED"


def test_raising_the_capacity_promotes_the_waiting_list(webinaire, agents, anct):
    for user in agents:
        services.inscrire_moi(evenement=webinaire, by=user)

    services.update_evenement(by=anct, evenement=webinaire, capacite=3)

    assert not Inscription.objects.filter(etat=EtatInscription.ATTENTE).exists()


def test_the_capacity_cannot_go_below_the_registered_people(webinaire, agents, anct):
    for user in agents[:2]:
        services.inscrire_moi(evenement=webinaire, by=user)

    with pytest.raises(DomainError, match="2 personnes sont déjà inscrites"):
        services.update_evenement(by=anct, evenement=webinaire, capacite=1)


def test_registering_twice_is_refused_and_registering_again_after_cancelling_queues_at_the_end(
    webinaire, agents
):
    mine = services.inscrire_moi(evenement=webinaire, by=agents[0])
    with pytest.raises(DomainError, match="déjà inscrit"):
        services.inscrire_moi(evenement=webinaire, by=agents[0])
    services.inscrire_moi(evenement=webinaire, by=agents[1])
    services.annuler_inscription(inscription=mine, by=agents[0])
    services.inscrire_moi(evenement=webinaire, by=agents[2])  # takes the freed place

    again = services.inscrire_moi(evenement=webinaire, by=agents[0])

    assert again.pk == mine.pk
    assert again.etat == EtatInscription.ATTENTE


def test_no_registration_to_a_draft_a_started_event_or_a_week(
    anct, thematiques, webinaire_passe, commune_clamecy, demain_14h
):
    draft = services.create_evenement(
        by=anct,
        type="webinaire",
        titre="Brouillon",
        thematique=thematiques["habitat"],
        debut=demain_14h,
        fin=demain_14h + timedelta(hours=1),
        lien="https://example.org/w",
    )
    week = services.publier_evenement(
        evenement=services.create_evenement(
            by=anct,
            type="semaine_thematique",
            titre="Semaine du commerce",
            thematique=thematiques["revitalisation-commerciale"],
            debut=demain_14h,
            fin=demain_14h + timedelta(days=4),
        ),
        by=anct,
    )
    with pytest.raises(DomainError, match="pas ouvert aux inscriptions"):
        services.inscrire_moi(evenement=draft, by=commune_clamecy)
    with pytest.raises(DomainError, match="inscriptions sont closes"):
        services.inscrire_moi(evenement=webinaire_passe, by=commune_clamecy)
    with pytest.raises(DomainError, match="semaine thématique"):
        services.inscrire_moi(evenement=week, by=commune_clamecy)
    assert not Inscription.objects.exists()


def test_a_region_user_does_not_register(webinaire, region_27):
    with pytest.raises(NotAllowed):
        services.inscrire_moi(evenement=webinaire, by=region_27)


def test_a_commune_registers_a_colleague_of_its_commune_not_of_another(
    webinaire, commune_clamecy, monde
):
    inscription = services.inscrire_collegue(
        evenement=webinaire,
        by=commune_clamecy,
        email=" DGS@Clamecy.fr ",
        prenom="Claire",
        nom="Martin",
        commune=monde.clamecy,
    )
    assert inscription.participant.email == "dgs@clamecy.fr"
    assert inscription.participant.user is None
    assert inscription.inscrit_par == commune_clamecy
    assert mail.outbox[-1].to == ["dgs@clamecy.fr"]

    with pytest.raises(NotAllowed, match="Privas"):
        services.inscrire_collegue(
            evenement=webinaire,
            by=commune_clamecy,
            email="x@privas.fr",
            prenom="X",
            nom="Y",
            commune=monde.privas,
        )


def test_a_guest_who_opens_an_account_keeps_their_registrations(webinaire, commune_clamecy):
    services.inscrire_collegue(
        evenement=webinaire,
        by=commune_clamecy,
        email="adjoint@clamecy.fr",
        prenom="Paul",
        nom="Durand",
    )
    user = UserFactory(email="adjoint@clamecy.fr")

    participant = services.participant_for_user(user)

    assert Participant.objects.count() == 1
    assert participant.user == user
    assert participant.inscriptions.count() == 1


def test_the_state_mail_is_sent_once_even_if_the_job_runs_twice(webinaire, commune_clamecy):
    inscription = services.inscrire_moi(evenement=webinaire, by=commune_clamecy)
    assert len(mail.outbox) == 1

    assert services.notify_inscription(inscription.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_mail_is_sent_again_by_the_retry(webinaire, commune_clamecy, monkeypatch):
    from club import emails

    def broken(*args, **kwargs):
        raise OSError("SMTP indisponible")

    inscription = services.inscrire_moi(evenement=webinaire, by=commune_clamecy)
    Inscription.objects.filter(pk=inscription.pk).update(etat_notifie="")
    mail.outbox.clear()
    monkeypatch.setattr(emails.EmailMessage, "send", broken)
    with pytest.raises(OSError, match="SMTP indisponible"):
        services.notify_inscription(inscription.pk)
    monkeypatch.undo()

    assert services.notify_inscription(inscription.pk) is True
    assert len(mail.outbox) == 1


def test_the_reminder_goes_the_day_before_once_even_if_the_job_runs_twice(webinaire, agents, anct):
    for user in agents:  # two places: the third waits and gets no reminder
        services.inscrire_moi(evenement=webinaire, by=user)
    mail.outbox.clear()

    assert send_reminders.delay().get() == 2
    assert send_reminders.delay().get() == 0

    assert sorted(m.to[0] for m in mail.outbox) == [
        "agent0@nievre.gouv.fr",
        "agent1@nievre.gouv.fr",
    ]
    assert all(m.subject.startswith("Rappel") for m in mail.outbox)
    assert all(m.attachments for m in mail.outbox)


def test_no_reminder_for_an_event_two_days_ahead(webinaire, agents, anct):
    services.inscrire_moi(evenement=webinaire, by=agents[0])
    later = webinaire.debut + timedelta(days=1)
    services.update_evenement(
        by=anct, evenement=webinaire, debut=later, fin=later + timedelta(hours=1)
    )
    mail.outbox.clear()

    assert services.send_reminders(today=timezone.localdate()) == 0
    assert services.send_reminders(today=timezone.localdate() + timedelta(days=1)) == 1


def test_moving_an_event_tells_the_registered_and_resets_their_reminder(webinaire, agents, anct):
    inscription = services.inscrire_moi(evenement=webinaire, by=agents[0])
    services.send_reminders(today=timezone.localdate())
    mail.outbox.clear()
    later = webinaire.debut + timedelta(days=7)

    services.update_evenement(
        by=anct, evenement=webinaire, debut=later, fin=later + timedelta(hours=1)
    )

    inscription.refresh_from_db()
    assert inscription.rappel_envoye_le is None
    assert [m.subject for m in mail.outbox] == [
        f"Changement d’horaire ou de lieu : {webinaire.titre}"
    ]
    event = _calendar(mail.outbox[0]).events[0]
    assert event.start == later
    assert int(event["SEQUENCE"]) > 1


def test_cancelling_an_event_tells_everyone_registered_or_waiting(webinaire, agents, anct):
    for user in agents:
        services.inscrire_moi(evenement=webinaire, by=user)
    mail.outbox.clear()

    with pytest.raises(DomainError, match="motif"):
        services.annuler_evenement(evenement=webinaire, by=anct, motif=" ")
    services.annuler_evenement(evenement=webinaire, by=anct, motif="Intervenant indisponible")

    assert len(mail.outbox) == 3
    assert "Intervenant indisponible" in mail.outbox[0].body
    assert str(Calendar.from_ical(mail.outbox[0].attachments[0][1])["METHOD"]) == "CANCEL"


def test_a_prefecture_proposes_local_events_in_its_departement_only(
    prefecture_58, thematiques, monde, demain_14h
):
    data = {
        "type": "visite",
        "titre": "Visite du centre-bourg",
        "thematique": thematiques["espaces-publics"],
        "debut": demain_14h,
        "fin": demain_14h + timedelta(hours=2),
        "lieu": "Place de la mairie",
        "commune": monde.clamecy,
    }
    with pytest.raises(DomainError, match="département"):
        services.create_evenement(by=prefecture_58, **data)
    with pytest.raises(NotAllowed):
        services.create_evenement(by=prefecture_58, departement=monde.ardeche, **data)

    proposal = services.create_evenement(by=prefecture_58, departement=monde.nievre, **data)

    assert proposal.etat == "propose"
    with pytest.raises(NotAllowed):
        services.publier_evenement(evenement=proposal, by=prefecture_58)


def test_the_rules_of_an_event(anct, thematiques, demain_14h, cercle):
    base = {
        "by": anct,
        "titre": "Événement",
        "thematique": thematiques["habitat"],
        "debut": demain_14h,
        "fin": demain_14h + timedelta(hours=1),
    }
    with pytest.raises(DomainError, match="après son début"):
        services.create_evenement(
            type="webinaire", **{**base, "fin": demain_14h}, lien="https://e.org"
        )
    with pytest.raises(DomainError, match="lien de connexion ou l’adresse"):
        services.create_evenement(type="webinaire", **base)
    with pytest.raises(DomainError, match="cercle thématique"):
        services.create_evenement(type="reunion_cercle", **base, lien="https://e.org")
    with pytest.raises(DomainError, match="Seule une réunion"):
        services.create_evenement(type="webinaire", **base, lien="https://e.org", cercle=cercle)
    week = services.create_evenement(
        type="semaine_thematique", **{**base, "fin": demain_14h + timedelta(days=3)}
    )
    with pytest.raises(DomainError, match="pendant la semaine"):
        services.create_evenement(
            type="webinaire",
            **{
                **base,
                "debut": demain_14h + timedelta(days=5),
                "fin": demain_14h + timedelta(days=5, hours=1),
            },
            lien="https://e.org",
            semaine=week,
        )


def test_modules_of_a_session_de_formation(anct, thematiques, demain_14h):
    session = services.create_evenement(
        by=anct,
        type="formation",
        titre="Conduire un projet de revitalisation",
        thematique=thematiques["ingenierie-de-projet"],
        debut=demain_14h,
        fin=demain_14h + timedelta(days=30),
        lien="https://formation.example.org",
    )
    module = services.save_module(
        by=anct,
        session=session,
        numero=1,
        titre="Diagnostic",
        debut=demain_14h,
        fin=demain_14h + timedelta(hours=3),
    )
    assert str(module) == "Module 1 : Diagnostic"
    with pytest.raises(DomainError, match="déjà un module n° 1"):
        services.save_module(
            by=anct,
            session=session,
            numero=1,
            titre="Autre",
            debut=demain_14h,
            fin=demain_14h + timedelta(hours=3),
        )
    with pytest.raises(DomainError, match="pendant la session"):
        services.save_module(
            by=anct,
            session=session,
            numero=2,
            titre="Après",
            debut=demain_14h + timedelta(days=31),
            fin=demain_14h + timedelta(days=31, hours=3),
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_people_taking_the_last_place_at_once_get_one_place_and_one_wait(webinaire, agents):
    """Four threads register at once to two places: the event's row lock serves them in
    turn, so two are registered and two wait."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    users = [*agents, agents[0]]
    fourth = UserFactory(email="quatre@nievre.gouv.fr")
    HabilitationFactory(user=fourth, role=Role.PREFECTURE, departement_id="58")
    users[3] = type(fourth).objects.get(pk=fourth.pk)

    def register(user):
        try:
            return services.inscrire_moi(evenement=webinaire, by=user).etat
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        states = sorted(pool.map(register, users))

    assert states == ["attente", "attente", "inscrit", "inscrit"]
