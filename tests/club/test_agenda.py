"""The Club's agenda through its pages: the public list and feed, an event's page, creation
and edition, registration and the waiting list, one's registrations."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from club import services
from club.enums import EtatEvenement, EtatInscription
from club.models import Evenement, Inscription, Participant
from pvd.exceptions import NotAllowed
from tests.club.conftest import paris


def _evenement(by, thematiques, debut, *, publier=True, **fields) -> Evenement:
    """An event of one hour at `debut`, published by default (`by` must be the Club team)."""
    evenement = services.create_evenement(
        by=by,
        type=fields.pop("type", "webinaire"),
        titre=fields.pop("titre", "Un webinaire"),
        thematique=fields.pop("thematique", thematiques["revitalisation-commerciale"]),
        debut=debut,
        fin=debut + timedelta(hours=1),
        lien=fields.pop("lien", "https://webinaire.example.org/autre"),
        **fields,
    )
    return services.publier_evenement(evenement=evenement, by=by) if publier else evenement


def _url(name: str, obj) -> str:
    return reverse(f"club:{name}", args=[obj.pk])


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _formulaire(thematiques, jour, **changes) -> dict:
    """The POST data of the event form: a webinar of `jour` from 10:00 to 11:30."""
    return {
        "type": "webinaire",
        "titre": "Les halles en centre-bourg",
        "thematique": thematiques["revitalisation-commerciale"].pk,
        "debut_date": jour.isoformat(),
        "debut_heure": "10:00",
        "fin_date": "",
        "fin_heure": "11:30",
        "lien": "https://webinaire.example.org/halles",
        "lieu": "",
        "capacite": "30",
        "description": "",
        **changes,
    }


@pytest.fixture
def dans_un_mois():
    return timezone.localdate() + timedelta(days=30)


# The public agenda ---------------------------------------------------------------------------


def test_public_agenda_shows_published_upcoming_events_only(
    client, anct, thematiques, webinaire, webinaire_passe, demain_14h
):
    brouillon = _evenement(anct, thematiques, demain_14h, publier=False, titre="Brouillon")

    response = client.get(reverse("club:agenda"))

    assert response.status_code == 200
    assert list(response.context["evenements"]) == [webinaire]
    assert response.context["a_publier"] is None
    content = response.content.decode()
    assert "Revitaliser les commerces de centre-ville" in content
    assert brouillon.titre not in content
    assert webinaire_passe.titre not in content
    # French time slot, places left, online, and nothing to create for the public.
    assert "2 places restantes sur 2" in content
    assert "En ligne" in content
    assert reverse("club:evenement_create") not in content
    assert webinaire.lien not in content


def test_agenda_shows_the_slot_in_french(client, webinaire):
    content = client.get(reverse("club:agenda")).content.decode()

    debut = timezone.localtime(webinaire.debut)
    assert f"{debut.day} " in content
    assert "de 14 h 00 à 15 h 30" in content


def test_club_team_sees_drafts_to_publish_and_can_create(client, anct, thematiques, demain_14h):
    brouillon = _evenement(anct, thematiques, demain_14h, publier=False, titre="Brouillon")
    client.force_login(anct)

    response = client.get(reverse("club:agenda"))

    assert list(response.context["a_publier"]) == [brouillon]
    assert list(response.context["evenements"]) == []
    assert reverse("club:evenement_create") in response.content.decode()


def test_agenda_filters_by_thematique_type_and_past(
    client, anct, thematiques, webinaire, webinaire_passe, demain_14h
):
    visite = _evenement(
        anct,
        thematiques,
        demain_14h + timedelta(days=2),
        type="visite",
        titre="Visite des halles",
        thematique=thematiques["transition-ecologique"],
        lien="",
        lieu="Place du marché",
    )
    url = reverse("club:agenda")

    def listed(**params):
        return list(client.get(url, params).context["evenements"])

    assert listed() == [webinaire, visite]
    assert listed(thematique="transition-ecologique") == [visite]
    assert listed(type="webinaire") == [webinaire]
    assert listed(type="formation") == []
    # Past events too, after the upcoming ones.
    assert listed(passes="1") == [webinaire, visite, webinaire_passe]
    assert listed(passes="1", thematique="transition-ecologique") == [visite, webinaire_passe]


def test_agenda_feed_is_icalendar_in_paris_time_without_links(
    client, anct, thematiques, webinaire, webinaire_passe, demain_14h
):
    _evenement(anct, thematiques, demain_14h, publier=False, titre="Brouillon")
    recent = _evenement(anct, thematiques, timezone.now() - timedelta(days=10), titre="Récent")

    response = client.get(reverse("club:agenda_ics"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    # Upcoming and recent ones; not the draft, not the 2021 one.
    assert set(events) == {webinaire.titre, recent.titre}
    dtstart = events[webinaire.titre]["DTSTART"]
    assert dtstart.params["TZID"] == "Europe/Paris"
    assert dtstart.dt == timezone.localtime(webinaire.debut)
    assert calendar.walk("VTIMEZONE")
    assert b"webinaire.example.org" not in response.content
    assert str(events[webinaire.titre]["LOCATION"]) == "En ligne"


def test_agenda_query_count_does_not_grow_with_events(
    client, anct, thematiques, demain_14h, django_assert_num_queries
):
    """Same number of queries with 2 and 10 events (and drafts to publish)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(anct)

    def add(n):
        for i in range(n):
            evenement = _evenement(
                anct,
                thematiques,
                demain_14h + timedelta(days=i + 1),
                titre=f"Webinaire {i}",
                commune=None,
                capacite=5,
            )
            services.inscrire_moi(evenement=evenement, by=anct)
            _evenement(anct, thematiques, demain_14h, publier=False, titre=f"Brouillon {i}")

    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("club:agenda")).status_code == 200
    add(8)
    with django_assert_num_queries(len(few)):
        response = client.get(reverse("club:agenda"))
    assert len(response.context["evenements"]) == 10


# An event's page -----------------------------------------------------------------------------


def test_event_page_for_anonymous_invites_to_log_in_without_the_link(client, webinaire):
    response = client.get(_url("evenement_detail", webinaire))

    assert response.status_code == 200
    content = response.content.decode()
    assert f"{reverse('connexion')}?next={_url('evenement_detail', webinaire)}" in content
    assert webinaire.lien not in content
    assert "Clamecy" in content  # the PVD showcased
    assert "Banque des Territoires" in content
    assert "M’inscrire" not in content
    assert "Historique" not in content


def test_event_page_shows_the_link_to_registered_people(client, webinaire, commune_clamecy):
    client.force_login(commune_clamecy)
    url = _url("evenement_detail", webinaire)

    before = client.get(url).content.decode()
    assert "M’inscrire" in before
    assert webinaire.lien not in before

    services.inscrire_moi(evenement=webinaire, by=commune_clamecy)
    after = client.get(url).content.decode()
    assert webinaire.lien in after
    assert "Vous êtes inscrit" in after
    assert "Annuler mon inscription" in after
    assert "M’inscrire" not in after


def test_club_team_sees_buttons_and_history(client, anct, webinaire):
    client.force_login(anct)

    response = client.get(_url("evenement_detail", webinaire))

    content = response.content.decode()
    assert _url("evenement_update", webinaire) in content
    assert _url("evenement_annuler", webinaire) in content
    assert _url("evenement_inscriptions", webinaire) in content
    assert webinaire.lien in content
    assert "Historique" in content
    assert response.context["can_publish"] is False  # already published


def test_draft_of_the_anct_is_404_for_a_commune_user(
    client, anct, thematiques, demain_14h, commune_clamecy
):
    brouillon = _evenement(anct, thematiques, demain_14h, publier=False)
    client.force_login(commune_clamecy)

    assert client.get(_url("evenement_detail", brouillon)).status_code == 404
    assert client.get(_url("evenement_ics", brouillon)).status_code == 404
    assert client.post(_url("inscription", brouillon)).status_code == 404


def test_event_ics_has_the_link_only_for_registered_people(client, webinaire, commune_clamecy):
    url = _url("evenement_ics", webinaire)

    anonymous = client.get(url)
    assert anonymous["Content-Disposition"] == (
        f'attachment; filename="evenement-{webinaire.pk}.ics"'
    )
    assert b"webinaire.example.org" not in anonymous.content

    services.inscrire_moi(evenement=webinaire, by=commune_clamecy)
    client.force_login(commune_clamecy)
    registered = client.get(url)
    event = Calendar.from_ical(registered.content).walk("VEVENT")[0]
    assert webinaire.lien in str(event["DESCRIPTION"])


def test_a_week_lists_its_events(client, anct, thematiques, demain_14h):
    semaine = services.create_evenement(
        by=anct,
        type="semaine_thematique",
        titre="Semaine du commerce",
        thematique=thematiques["revitalisation-commerciale"],
        debut=demain_14h - timedelta(hours=14),
        fin=demain_14h + timedelta(days=4),
    )
    services.publier_evenement(evenement=semaine, by=anct)
    webinaire = _evenement(anct, thematiques, demain_14h, semaine=semaine, titre="Le jour 1")

    response = client.get(_url("evenement_detail", semaine))
    assert list(response.context["programme"]) == [webinaire]
    assert "Le jour 1" in response.content.decode()

    content = client.get(_url("evenement_detail", webinaire)).content.decode()
    assert "Semaine du commerce" in content


# Registration and the waiting list ------------------------------------------------------------


def test_registering_makes_one_inscrit(client, webinaire, commune_clamecy):
    client.force_login(commune_clamecy)

    response = client.post(_url("inscription", webinaire))

    assert response["Location"] == _url("evenement_detail", webinaire)
    inscription = Inscription.objects.get(evenement=webinaire)
    assert inscription.etat == EtatInscription.INSCRIT
    assert inscription.participant.user == commune_clamecy
    assert inscription.participant.commune.nom == "Clamecy"
    assert any("Vous êtes inscrit" in m for m in _messages(response))


def test_registering_twice_is_refused_with_a_message(client, webinaire, commune_clamecy):
    client.force_login(commune_clamecy)
    client.post(_url("inscription", webinaire))

    response = client.post(_url("inscription", webinaire))

    assert response.status_code == 302
    assert any("déjà inscrit" in m for m in _messages(response))
    assert Inscription.objects.filter(evenement=webinaire).count() == 1


def test_region_cannot_register(client, webinaire, region_27):
    client.force_login(region_27)

    assert client.post(_url("inscription", webinaire)).status_code == 403
    assert not Inscription.objects.exists()


def test_third_person_of_two_places_waits_then_is_promoted_with_a_calendar(
    client,
    webinaire,
    commune_clamecy,
    epci_haut_nivernais,
    partenaire,
    django_capture_on_commit_callbacks,
):
    for user in (commune_clamecy, epci_haut_nivernais, partenaire):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(_url("inscription", webinaire))
    assert any("complet" in m and "(rang 1)" in m for m in _messages(response))
    etats = dict(
        Inscription.objects.filter(evenement=webinaire).values_list(
            "participant__user__email", "etat"
        )
    )
    assert etats == {
        commune_clamecy.email: EtatInscription.INSCRIT,
        epci_haut_nivernais.email: EtatInscription.INSCRIT,
        partenaire.email: EtatInscription.ATTENTE,
    }
    detail = client.get(_url("evenement_detail", webinaire)).content.decode()
    assert "liste d’attente (rang 1)" in detail

    # The first one withdraws: the waiting person gets the place, and a calendar.
    mail.outbox.clear()
    client.force_login(commune_clamecy)
    inscription = Inscription.objects.get(evenement=webinaire, participant__user=commune_clamecy)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("inscription_annuler", inscription))

    assert response["Location"] == _url("evenement_detail", webinaire)
    promoted = Inscription.objects.get(evenement=webinaire, participant__user=partenaire)
    assert promoted.etat == EtatInscription.INSCRIT
    inscription.refresh_from_db()
    assert inscription.etat == EtatInscription.ANNULEE
    (message,) = [m for m in mail.outbox if m.to == [partenaire.email]]
    assert "place s’est libérée" in message.subject
    ((filename, content, mimetype),) = message.attachments
    assert filename.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    assert Calendar.from_ical(content).walk("VEVENT")[0]["SUMMARY"] == webinaire.titre


def test_someone_else_cannot_cancel_a_registration(
    client, webinaire, commune_clamecy, epci_haut_nivernais, prefecture_07
):
    inscription = services.inscrire_moi(evenement=webinaire, by=commune_clamecy)

    # Outside their perimeter: not even seen.
    client.force_login(prefecture_07)
    assert client.post(_url("inscription_annuler", inscription)).status_code == 404
    # The EPCI sees its commune's people, but did not register them.
    client.force_login(epci_haut_nivernais)
    assert client.post(_url("inscription_annuler", inscription)).status_code == 403
    inscription.refresh_from_db()
    assert inscription.etat == EtatInscription.INSCRIT


def test_registering_a_colleague(client, webinaire, commune_clamecy, monde):
    client.force_login(commune_clamecy)
    url = _url("inscription_collegue", webinaire)

    form = client.get(url).context["form"]
    assert list(form.fields["commune"].queryset) == [monde.clamecy]
    assert form["commune"].value() == monde.clamecy.pk

    response = client.post(
        url,
        {"email": "DGS@Clamecy.fr", "prenom": "Anne", "nom": "Martin", "commune": monde.clamecy.pk},
    )

    assert response["Location"] == _url("evenement_detail", webinaire)
    inscription = Inscription.objects.get(participant__email="dgs@clamecy.fr")
    assert inscription.etat == EtatInscription.INSCRIT
    assert inscription.inscrit_par == commune_clamecy
    assert inscription.participant.commune == monde.clamecy
    assert any("Anne Martin est inscrit" in m for m in _messages(response))


def test_colleague_from_a_commune_outside_the_territory_is_refused(
    client, webinaire, commune_clamecy, monde
):
    client.force_login(commune_clamecy)

    response = client.post(
        _url("inscription_collegue", webinaire),
        {"email": "x@privas.fr", "prenom": "X", "nom": "Y", "commune": monde.privas.pk},
    )

    assert response.status_code == 200
    assert "commune" in response.context["form"].errors
    assert not Participant.objects.filter(email="x@privas.fr").exists()


def test_partner_registers_a_colleague_without_a_commune(client, webinaire, partenaire):
    client.force_login(partenaire)
    url = _url("inscription_collegue", webinaire)

    assert "commune" not in client.get(url).context["form"].fields
    client.post(url, {"email": "collegue@bdt.fr", "prenom": "Paul", "nom": "Durand"})

    participant = Participant.objects.get(email="collegue@bdt.fr")
    assert participant.organisation.nom == "Banque des Territoires"


def test_my_registrations_upcoming_then_past_with_attendance(
    client, anct, webinaire, webinaire_passe, commune_clamecy
):
    services.inscrire_moi(evenement=webinaire, by=commune_clamecy)
    ancienne = Inscription.objects.create(
        evenement=webinaire_passe,
        participant=services.participant_for_user(commune_clamecy),
        etat=EtatInscription.INSCRIT,
        source="personne",
        present=True,
    )
    collegue = services.inscrire_collegue(
        evenement=webinaire, by=commune_clamecy, email="adjoint@clamecy.fr", prenom="Léa", nom="Roy"
    )
    client.force_login(commune_clamecy)

    response = client.get(reverse("club:mes_inscriptions"))

    miennes, collegues = response.context["miennes"], response.context["collegues"]
    assert [i.evenement for i in miennes["a_venir"]] == [webinaire]
    assert miennes["passees"] == [ancienne]
    assert collegues["a_venir"] == [collegue]
    content = response.content.decode()
    assert "Présent" in content
    assert "Léa Roy" in content
    assert content.count(">Annuler<") == 2

    response = client.post(
        _url("inscription_annuler", collegue), {"next": reverse("club:mes_inscriptions")}
    )
    assert response["Location"] == reverse("club:mes_inscriptions")
    collegue.refresh_from_db()
    assert collegue.etat == EtatInscription.ANNULEE


def test_my_registrations_show_the_rank_on_the_waiting_list(
    client, webinaire, commune_clamecy, epci_haut_nivernais, partenaire, anct
):
    for user in (commune_clamecy, epci_haut_nivernais, anct, partenaire):
        services.inscrire_moi(evenement=webinaire, by=user)
    client.force_login(partenaire)

    (inscription,) = client.get(reverse("club:mes_inscriptions")).context["miennes"]["a_venir"]

    assert inscription.etat == EtatInscription.ATTENTE
    assert inscription.rang == 2


# Creating and editing events -------------------------------------------------------------------


def test_prefecture_proposes_a_local_event_in_its_departement(
    client, prefecture_58, thematiques, monde, dans_un_mois
):
    client.force_login(prefecture_58)
    url = reverse("club:evenement_create")
    form = client.get(url).context["form"]
    assert list(form.fields["departement"].queryset) == [monde.nievre]

    response = client.post(
        url,
        _formulaire(
            thematiques,
            dans_un_mois,
            type="visite",
            lien="",
            lieu="Halles de Clamecy",
            departement=monde.nievre.pk,
        ),
    )

    evenement = Evenement.objects.get()
    assert response["Location"] == evenement.get_absolute_url()
    assert evenement.etat == EtatEvenement.PROPOSE
    assert evenement.departement == monde.nievre
    assert timezone.localtime(evenement.debut) == paris(
        dans_un_mois.year, dans_un_mois.month, dans_un_mois.day, 10, 0
    )
    assert timezone.localtime(evenement.fin).hour == 11


def test_prefecture_cannot_propose_outside_its_departement(
    client, prefecture_58, thematiques, monde, dans_un_mois
):
    client.force_login(prefecture_58)

    response = client.post(
        reverse("club:evenement_create"),
        _formulaire(thematiques, dans_un_mois, departement=monde.ardeche.pk),
    )

    assert response.status_code == 200
    assert "departement" in response.context["form"].errors
    assert not Evenement.objects.exists()
    with pytest.raises(NotAllowed):
        services.create_evenement(
            by=prefecture_58,
            type="webinaire",
            titre="Ailleurs",
            thematique=thematiques["revitalisation-commerciale"],
            debut=paris(2030, 1, 1, 10, 0),
            fin=paris(2030, 1, 1, 11, 0),
            lien="https://example.org",
            departement=monde.ardeche,
        )


def test_commune_user_gets_403_on_create(client, commune_clamecy, thematiques, dans_un_mois):
    client.force_login(commune_clamecy)

    assert client.get(reverse("club:evenement_create")).status_code == 403
    response = client.post(reverse("club:evenement_create"), _formulaire(thematiques, dans_un_mois))
    assert response.status_code == 403
    assert not Evenement.objects.exists()


def test_club_team_creates_a_draft_then_publishes_it(client, anct, thematiques, dans_un_mois):
    client.force_login(anct)

    client.post(reverse("club:evenement_create"), _formulaire(thematiques, dans_un_mois))
    evenement = Evenement.objects.get()
    assert evenement.etat == EtatEvenement.BROUILLON
    assert evenement.departement is None

    response = client.post(_url("evenement_publier", evenement), {"version": evenement.version})
    assert response["Location"] == evenement.get_absolute_url()
    evenement.refresh_from_db()
    assert evenement.etat == EtatEvenement.PUBLIE


def test_prefecture_cannot_publish_its_proposal(client, prefecture_58, thematiques, monde):
    evenement = services.create_evenement(
        by=prefecture_58,
        type="visite",
        titre="Visite",
        thematique=thematiques["revitalisation-commerciale"],
        debut=paris(2030, 1, 1, 10, 0),
        fin=paris(2030, 1, 1, 11, 0),
        lieu="Mairie",
        departement=monde.nievre,
    )
    client.force_login(prefecture_58)

    assert client.post(_url("evenement_publier", evenement)).status_code == 403
    assert client.get(_url("evenement_update", evenement)).status_code == 200


def test_form_refuses_an_end_before_the_start(client, anct, thematiques, dans_un_mois):
    client.force_login(anct)

    response = client.post(
        reverse("club:evenement_create"),
        _formulaire(thematiques, dans_un_mois, fin_heure="09:00"),
    )

    assert response.status_code == 200
    assert "fin_heure" in response.context["form"].errors
    assert not Evenement.objects.exists()


def test_editing_an_event(client, anct, webinaire, thematiques):
    client.force_login(anct)
    url = _url("evenement_update", webinaire)
    form = client.get(url).context["form"]
    jour = timezone.localtime(webinaire.debut).date()
    assert form["debut_heure"].value().strftime("%H:%M") == "14:00"

    response = client.post(
        url,
        _formulaire(
            thematiques,
            jour,
            titre="Nouveau titre",
            debut_heure="14:00",
            fin_heure="16:00",
            capacite="2",
            version=webinaire.version,
        ),
    )

    assert response["Location"] == webinaire.get_absolute_url()
    webinaire.refresh_from_db()
    assert webinaire.titre == "Nouveau titre"
    assert timezone.localtime(webinaire.fin).hour == 16


def test_stale_edit_answers_409_and_keeps_what_was_typed(client, anct, webinaire, thematiques):
    client.force_login(anct)
    url = _url("evenement_update", webinaire)
    version = client.get(url).context["form"]["version"].value()
    services.update_evenement(by=anct, evenement=webinaire, titre="Changé entre-temps")
    jour = timezone.localtime(webinaire.debut).date()

    response = client.post(
        url,
        _formulaire(
            thematiques,
            jour,
            titre="Mon titre",
            debut_heure="14:00",
            fin_heure="15:30",
            version=version,
        ),
    )

    assert response.status_code == 409
    assert response.context["form"]["titre"].value() == "Mon titre"
    assert int(response.context["form"]["version"].value()) == version + 1
    assert "Modifié entre-temps" in response.content.decode()
    webinaire.refresh_from_db()
    assert webinaire.titre == "Changé entre-temps"


def test_cancelling_an_event_needs_a_reason(client, anct, webinaire, commune_clamecy):
    services.inscrire_moi(evenement=webinaire, by=commune_clamecy)
    client.force_login(anct)
    url = _url("evenement_annuler", webinaire)

    page = client.get(url)
    assert "1 personne" in page.content.decode()
    assert client.post(url, {"motif": "", "version": webinaire.version}).status_code == 200

    response = client.post(url, {"motif": "Intervenant malade", "version": webinaire.version})

    assert response["Location"] == webinaire.get_absolute_url()
    webinaire.refresh_from_db()
    assert webinaire.etat == EtatEvenement.ANNULE
    assert "Intervenant malade" in client.get(webinaire.get_absolute_url()).content.decode()


def test_commune_user_cannot_cancel_an_event(client, webinaire, commune_clamecy):
    client.force_login(commune_clamecy)

    assert client.get(_url("evenement_annuler", webinaire)).status_code == 403
    assert client.post(_url("evenement_annuler", webinaire), {"motif": "x"}).status_code == 403


def test_modules_of_a_formation(client, anct, thematiques, demain_14h):
    session = services.create_evenement(
        by=anct,
        type="formation",
        titre="Piloter son projet de territoire",
        thematique=thematiques["revitalisation-commerciale"],
        debut=demain_14h - timedelta(hours=5),
        fin=demain_14h + timedelta(days=1, hours=3),
        lieu="ANCT, Paris",
    )
    client.force_login(anct)
    url = _url("module_create", session)
    jour = timezone.localtime(session.debut).date()

    assert client.get(url).context["form"]["numero"].value() == 1
    response = client.post(
        url,
        {
            "numero": "1",
            "titre": "Diagnostic",
            "debut_date": jour.isoformat(),
            "debut_heure": "09:00",
            "fin_heure": "12:00",
        },
    )
    assert response["Location"] == session.get_absolute_url()
    module = session.modules.get()
    assert str(module) == "Module 1 : Diagnostic"

    # Outside the session: refused with the service's message.
    response = client.post(
        _url("module_update", module),
        {
            "numero": "1",
            "titre": "Diagnostic",
            "debut_date": (jour - timedelta(days=3)).isoformat(),
            "debut_heure": "09:00",
            "fin_heure": "12:00",
        },
    )
    assert response.status_code == 200
    assert "pendant la session" in str(response.context["form"].non_field_errors())

    content = client.get(session.get_absolute_url()).content.decode()
    assert "Diagnostic" in content
    assert "de 09 h 00 à 12 h 00" in content


def test_a_webinar_has_no_modules(client, anct, webinaire):
    client.force_login(anct)

    assert client.get(_url("module_create", webinaire)).status_code == 404


def test_event_page_of_a_cancelled_event_closes_registration(
    client, anct, webinaire, commune_clamecy
):
    services.inscrire_moi(evenement=webinaire, by=commune_clamecy)
    services.annuler_evenement(evenement=webinaire, by=anct, motif="Report")
    client.force_login(commune_clamecy)

    content = client.get(_url("evenement_detail", webinaire)).content.decode()

    assert "Cet événement est annulé" in content
    assert "votre inscription ne tient plus" in content
    assert "M’inscrire" not in content
    assert "Inscrire un collègue" not in content
    assert client.post(_url("inscription", webinaire)).status_code == 302
    assert Inscription.objects.filter(evenement=webinaire).count() == 1


def test_my_registrations_query_count_does_not_grow(
    client, anct, thematiques, demain_14h, commune_clamecy, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(commune_clamecy)

    def add(n, start):
        for i in range(start, start + n):
            evenement = _evenement(
                anct, thematiques, demain_14h + timedelta(days=i), titre=f"W{i}", capacite=1
            )
            services.inscrire_moi(evenement=evenement, by=anct)
            services.inscrire_moi(evenement=evenement, by=commune_clamecy)  # waiting
            services.inscrire_collegue(
                evenement=evenement,
                by=commune_clamecy,
                email=f"collegue{i}@clamecy.fr",
                prenom="C",
                nom=str(i),
            )

    add(1, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("club:mes_inscriptions")).status_code == 200
    add(5, 1)
    with django_assert_num_queries(len(few)):
        response = client.get(reverse("club:mes_inscriptions"))
    assert len(response.context["miennes"]["a_venir"]) == 6
    assert {i.rang for i in response.context["miennes"]["a_venir"]} == {1}
