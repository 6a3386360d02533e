"""The Club in the REST API (`club.api`): events as the agenda shows them (visibility, filters,
the connection link only for registered people), registrations (oneself, a colleague, the
waiting list, cancellation) through the same services and checks as the HTML, errors as JSON
with a French message, and lists in a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from club import services
from club.enums import EtatInscription
from club.models import Inscription, Participant
from tests.factories import CommuneFactory

EVENEMENTS = reverse("api:club-evenement-list")
INSCRIPTIONS = reverse("api:club-inscription-list")


def evenement_url(pk: int) -> str:
    return reverse("api:club-evenement-detail", args=[pk])


def annuler_url(pk: int) -> str:
    return reverse("api:club-inscription-annuler", args=[pk])


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def nouvel_evenement(anct, thematiques, debut, publier=True, **champs):
    valeurs = {
        "type": "webinaire",
        "titre": "Un webinaire",
        "thematique": thematiques["habitat"],
        "debut": debut,
        "fin": debut + timedelta(hours=1),
        "lien": "https://webinaire.example.org/x",
        **champs,
    }
    evenement = services.create_evenement(by=anct, **valeurs)
    return services.publier_evenement(evenement=evenement, by=anct) if publier else evenement


# Events -----------------------------------------------------------------------------------------


def test_an_anonymous_visitor_reads_a_published_event_without_its_link(client, webinaire):
    response = client.get(evenement_url(webinaire.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["titre"] == "Revitaliser les commerces de centre-ville"
    assert body["type"] == "webinaire"
    assert body["thematique"] == "revitalisation-commerciale"
    assert body["etat"] == "publie"
    assert body["capacite"] == 2
    assert body["inscrits"] == 0
    assert body["places_libres"] == 2
    assert body["accepte_inscriptions"] is True
    assert body["organisateurs"] == ["Banque des Territoires"]
    assert body["communes_valorisees"] == ["58079"]
    assert body["page"] == webinaire.get_absolute_url()
    assert body["lien"] is None  # given to registered people only
    assert body["mon_inscription"] is None


def test_the_link_is_given_to_a_registered_person_and_to_the_club_team(
    as_persona, webinaire, commune_clamecy
):
    services.inscrire_moi(evenement=webinaire, by=commune_clamecy)
    client = as_persona("commune_clamecy")

    body = client.get(evenement_url(webinaire.pk)).json()

    assert body["lien"] == "https://webinaire.example.org/pvd-commerce"
    assert body["mon_inscription"] == "inscrit"
    assert body["inscrits"] == 1
    assert body["places_libres"] == 1
    assert as_persona("epci_haut_nivernais").get(evenement_url(webinaire.pk)).json()["lien"] is None


def test_the_club_team_sees_the_link_without_registering(as_persona, webinaire):
    assert as_persona("anct").get(evenement_url(webinaire.pk)).json()["lien"]


def test_a_draft_is_listed_for_the_club_team_only(
    as_persona, anct, thematiques, demain_14h, webinaire
):
    brouillon = nouvel_evenement(anct, thematiques, demain_14h, publier=False, titre="Brouillon")

    assert brouillon.pk in ids(as_persona("anct").get(EVENEMENTS))
    assert ids(as_persona("prefecture_58").get(EVENEMENTS)) == [webinaire.pk]
    assert as_persona("prefecture_58").get(evenement_url(brouillon.pk)).status_code == 404


@pytest.mark.parametrize("pk", ["999", "0.5"])  # `0.5`: found by the fuzzer (was Django's HTML)
def test_an_unknown_event_answers_a_french_json_404(client, db, pk):
    response = client.get(f"{EVENEMENTS}{pk}/")

    assert response.status_code == 404
    assert response.json() == {
        "detail": "Événement introuvable ou hors de ce que vous pouvez voir."
    }


def test_events_are_filtered_by_type_theme_dates_and_departement(
    client, anct, thematiques, monde, demain_14h, webinaire, webinaire_passe
):
    visite = nouvel_evenement(
        anct,
        thematiques,
        demain_14h + timedelta(days=3),
        type="visite",
        titre="Visite à Privas",
        lien="",
        lieu="Mairie de Privas",
        commune=monde.privas,
    )
    local = nouvel_evenement(
        anct, thematiques, demain_14h + timedelta(days=5), titre="Local", departement=monde.nievre
    )

    assert ids(client.get(EVENEMENTS)) == [webinaire_passe.pk, webinaire.pk, visite.pk, local.pk]
    assert ids(client.get(EVENEMENTS, {"type": "visite"})) == [visite.pk]
    assert ids(client.get(EVENEMENTS, {"thematique": "revitalisation-commerciale"})) == [
        webinaire.pk
    ]
    assert ids(client.get(EVENEMENTS, {"du": demain_14h.date().isoformat()})) == [
        webinaire.pk,
        visite.pk,
        local.pk,
    ]
    assert ids(client.get(EVENEMENTS, {"au": "2021-12-31"})) == [webinaire_passe.pk]
    assert ids(client.get(EVENEMENTS, {"departement": "07"})) == [visite.pk]
    assert ids(client.get(EVENEMENTS, {"departement": "58"})) == [local.pk]


@pytest.mark.parametrize(
    ("params", "parametre"),
    [
        ({"type": "conference"}, "type"),
        ({"thematique": "inconnue"}, "thematique"),
        ({"du": "2021-13-45"}, "du"),
        ({"departement": "999"}, "departement"),
    ],
)
def test_a_filter_that_cannot_be_read_answers_400_naming_it(client, db, params, parametre):
    response = client.get(EVENEMENTS, params)

    assert response.status_code == 400
    assert f"paramètre « {parametre} »" in response.json()["detail"]


def _evenements(anct, thematiques, debut, nombre):
    for index in range(nombre):
        evenement = nouvel_evenement(
            anct, thematiques, debut + timedelta(days=index), titre=f"Webinaire {index}"
        )
        evenement.organisateurs.add(*_organisations())
        evenement.communes_valorisees.add(CommuneFactory())


def _organisations():
    from communes.models import Organisation

    return Organisation.objects.all()[:2]


def _count(client, url) -> int:
    client.get(url)  # a first request may warm per-process caches (the menus)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["anonyme", "anct", "commune_clamecy"])
def test_the_event_list_takes_the_same_queries_for_2_and_20_events(
    as_persona, anct, thematiques, demain_14h, referentiel, persona
):
    client = as_persona(persona)
    _evenements(anct, thematiques, demain_14h, 2)
    deux = _count(client, EVENEMENTS)
    _evenements(anct, thematiques, demain_14h, 18)

    assert _count(client, EVENEMENTS) == deux


# Registrations ----------------------------------------------------------------------------------


def test_registering_oneself_takes_a_place_then_the_waiting_list(
    as_persona, webinaire, commune_clamecy, epci_haut_nivernais, prefecture_58
):
    for persona in ("commune_clamecy", "epci_haut_nivernais"):
        response = post(as_persona(persona), INSCRIPTIONS, {"evenement": webinaire.pk})
        assert response.status_code == 201, response.content
        assert response.json()["etat"] == "inscrit"

    response = post(as_persona("prefecture_58"), INSCRIPTIONS, {"evenement": webinaire.pk})

    assert response.status_code == 201
    body = response.json()
    assert body["etat"] == "attente"
    assert body["rang"] == 1
    assert body["evenement"] == webinaire.pk
    assert body["participant"]["email"] == "pref58@nievre.gouv.fr"
    assert body["source"] == "personne"
    assert body["par_moi"] is True
    assert body["peut_annuler"] is True


def test_registering_twice_is_refused_in_french(as_persona, webinaire, commune_clamecy):
    client = as_persona("commune_clamecy")
    post(client, INSCRIPTIONS, {"evenement": webinaire.pk})

    response = post(client, INSCRIPTIONS, {"evenement": webinaire.pk})

    assert response.status_code == 400
    assert "déjà inscrit" in response.json()["detail"]
    assert Inscription.objects.count() == 1


def test_a_past_event_or_a_week_is_not_open(as_persona, webinaire_passe):
    response = post(as_persona("commune_clamecy"), INSCRIPTIONS, {"evenement": webinaire_passe.pk})

    assert response.status_code == 400
    assert response.json() == {"detail": "Cet événement a commencé : les inscriptions sont closes."}


def test_a_region_may_not_register(as_persona, webinaire):
    response = post(as_persona("region_27"), INSCRIPTIONS, {"evenement": webinaire.pk})

    assert response.status_code == 403
    assert "ne permet pas" in response.json()["detail"]


def test_an_event_one_cannot_see_answers_404(
    as_persona, anct, thematiques, demain_14h, prefecture_07
):
    brouillon = nouvel_evenement(anct, thematiques, demain_14h, publier=False)

    response = post(as_persona("prefecture_07"), INSCRIPTIONS, {"evenement": brouillon.pk})

    assert response.status_code == 404
    assert not Inscription.objects.exists()


def test_registering_a_colleague_of_one_s_territory(as_persona, webinaire, monde):
    client = as_persona("epci_haut_nivernais")
    donnees = {
        "evenement": webinaire.pk,
        "email": " Jeanne.Roy@Clamecy.fr ",
        "prenom": "Jeanne",
        "nom": "Roy",
        "commune": "58079",
    }

    response = post(client, INSCRIPTIONS, donnees)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["participant"] == {
        "prenom": "Jeanne",
        "nom": "Roy",
        "email": "jeanne.roy@clamecy.fr",
        "commune": "58079",
    }
    assert body["source"] == "collegue"
    assert body["par_moi"] is True


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ({"email": "pas-une-adresse", "prenom": "A", "nom": "B"}, "champ « email »"),
        ({"email": "a@b.fr"}, "prénom et son nom"),
        ({"prenom": "Jeanne"}, "adresse électronique"),
        ({"email": "a@b.fr", "prenom": "A", "nom": "B", "commune": "07186"}, "champ « commune »"),
        ({"evenement": "x"}, "champ « evenement »"),
    ],
)
def test_a_colleague_s_bad_data_is_refused_with_a_french_message(
    as_persona, webinaire, donnees, message
):
    response = post(
        as_persona("epci_haut_nivernais"), INSCRIPTIONS, {"evenement": webinaire.pk, **donnees}
    )

    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Participant.objects.exists()
    assert not Inscription.objects.exists()


def test_a_json_body_that_is_not_an_object_is_a_400(as_persona, webinaire):
    response = as_persona("commune_clamecy").post(
        INSCRIPTIONS, "[1, 2]", content_type="application/json"
    )

    assert response.status_code == 400
    assert "detail" in response.json()


def test_cancelling_frees_the_place_for_the_first_waiting(
    as_persona, webinaire, commune_clamecy, epci_haut_nivernais, prefecture_58
):
    mienne = services.inscrire_moi(evenement=webinaire, by=commune_clamecy)
    services.inscrire_moi(evenement=webinaire, by=epci_haut_nivernais)
    attente = services.inscrire_moi(evenement=webinaire, by=prefecture_58)

    response = post(as_persona("commune_clamecy"), annuler_url(mienne.pk))

    assert response.status_code == 200
    assert response.json()["etat"] == "annulee"
    assert response.json()["peut_annuler"] is False
    attente.refresh_from_db()
    assert attente.etat == EtatInscription.INSCRIT


def test_cancelling_twice_is_refused(as_persona, webinaire, commune_clamecy):
    mienne = services.inscrire_moi(evenement=webinaire, by=commune_clamecy)
    client = as_persona("commune_clamecy")
    post(client, annuler_url(mienne.pk))

    response = post(client, annuler_url(mienne.pk))

    assert response.status_code == 403
    assert response.json() == {"detail": "Vous ne pouvez pas annuler cette inscription."}


def test_registrations_are_filtered_by_event_and_state(
    as_persona, webinaire, webinaire_passe, commune_clamecy, epci_haut_nivernais, prefecture_58
):
    a = services.inscrire_moi(evenement=webinaire, by=commune_clamecy)
    b = services.inscrire_moi(evenement=webinaire, by=epci_haut_nivernais)
    c = services.inscrire_moi(evenement=webinaire, by=prefecture_58)
    client = as_persona("anct")

    assert ids(client.get(INSCRIPTIONS, {"evenement": webinaire.pk})) == [a.pk, b.pk, c.pk]
    assert ids(client.get(INSCRIPTIONS, {"etat": "attente"})) == [c.pk]
    assert ids(client.get(INSCRIPTIONS, {"evenement": webinaire_passe.pk})) == []
    assert client.get(INSCRIPTIONS, {"etat": "perdue"}).status_code == 400


def test_the_registration_list_takes_the_same_queries_for_2_and_20_rows(
    as_persona, anct, thematiques, demain_14h, monde
):
    evenement = nouvel_evenement(anct, thematiques, demain_14h, capacite=1)
    client = as_persona("anct")

    def inscrire(nombre, debut):
        for index in range(debut, debut + nombre):
            services.inscrire_collegue(
                evenement=evenement,
                by=anct,
                email=f"agent{index}@example.org",
                prenom="Agent",
                nom=str(index),
                commune=monde.clamecy,
            )

    inscrire(2, 0)
    deux = _count(client, INSCRIPTIONS)
    inscrire(18, 2)

    assert client.get(INSCRIPTIONS).json()["count"] == 20
    assert _count(client, INSCRIPTIONS) == deux
