"""The page of the Club's figures: a perimeter the user may read, at a date."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from club import services
from tests.factories import UserFactory


@pytest.fixture
def presences(webinaire_passe, anct, monde):
    """Two people of Clamecy attended the webinar of 12 October 2021."""
    contenu = "E-mail;Nom;Code INSEE\nmaire@clamecy.fr;Maire;58079\ndgs@clamecy.fr;DGS;58079\n"
    services.import_presences(
        evenement=webinaire_passe, by=anct, nom_fichier="zoom.csv", contenu=contenu.encode()
    )


def test_the_club_team_reads_france_then_a_departement(as_persona, presences):
    client = as_persona("anct")

    france = client.get(reverse("club:chiffres"), {"date": "2021-12-31"})
    nievre = client.get(reverse("club:chiffres"), {"perimetre": "departement:58"})
    ardeche = client.get(reverse("club:chiffres"), {"perimetre": "departement:07"})

    assert france.context["chiffres"]["webinaires"] == 1
    assert france.context["chiffres"]["participants"]["participations"] == 2
    assert "31 décembre 2021" in france.text
    assert nievre.context["chiffres"]["participants"]["personnes"] == 2
    assert nievre.context["perimetre_libelle"] == "58 – Nièvre"
    assert ardeche.context["chiffres"]["participants"]["personnes"] == 0


def test_before_the_webinar_nothing_had_happened(as_persona, presences):
    response = as_persona("anct").get(reverse("club:chiffres"), {"date": "2021-10-11"})

    assert response.context["chiffres"]["webinaires"] == 0
    assert "<strong>0</strong> webinaire</li>" in response.text  # French: singular for zero


@pytest.mark.parametrize(
    ("persona", "perimetre", "status"),
    [
        ("prefecture_58", "departement:58", 200),
        ("prefecture_58", "FR", 200),
        ("prefecture_58", "departement:07", 404),
        ("prefecture_58", "region:27", 404),
        ("region_27", "departement:21", 200),
        ("region_27", "region:84", 404),
        ("commune_clamecy", "departement:58", 404),
        ("anct", "region:84", 200),
    ],
)
def test_a_territory_outside_the_users_perimeter_is_404(as_persona, persona, perimetre, status):
    response = as_persona(persona).get(reverse("club:chiffres"), {"perimetre": perimetre})

    assert response.status_code == status


def test_bad_parameters_get_a_french_message_and_france_today(as_persona):
    client = as_persona("anct")

    response = client.get(reverse("club:chiffres"), {"perimetre": "commune:58079", "date": "hier"})

    text = response.text
    assert response.status_code == 200
    assert "Périmètre « commune:58079 » inconnu" in text
    assert "Date « hier » invalide" in text
    assert response.context["perimetre"] == "FR"
    assert response.context["date"] == timezone.localdate()


def test_a_future_date_shows_today(as_persona):
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = as_persona("anct").get(reverse("club:chiffres"), {"date": tomorrow.isoformat()})

    assert response.context["date"] == timezone.localdate()


def test_a_user_without_habilitation_is_refused(client, monde):
    client.force_login(UserFactory(email="personne@example.org"))

    assert client.get(reverse("club:chiffres")).status_code == 403
