"""The Club tab of a commune's dossier: its people's registrations and attendance, the events
that showcased it, its élus in the cercles; scoped like the dossier; queries that do not grow
with the rows."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from club import services
from club.enums import EtatInscription, OrigineParticipant, SourceInscription
from club.models import Inscription, Participant
from conventions.sections import registered
from tests.club.conftest import paris

URL = reverse("conventions:dossier_detail", args=["58079"])  # Clamecy


def _present(evenement, email, commune, present=True, nom="Dupont") -> Inscription:
    participant = Participant.objects.create(
        email=email, prenom="Anne", nom=nom, commune=commune, origine=OrigineParticipant.IMPORT
    )
    return Inscription.objects.create(
        evenement=evenement,
        participant=participant,
        etat=EtatInscription.INSCRIT,
        source=SourceInscription.IMPORT,
        present=present,
    )


@pytest.fixture
def participation(anct, monde, webinaire, webinaire_passe, cercle):
    """Clamecy: two people at the past webinar (one absent), one of Privas there too, the
    commune's user registered to the upcoming one (which showcases Clamecy), its maire in the
    cercle."""
    _present(webinaire_passe, "anne.dupont@clamecy.fr", monde.clamecy)
    _present(webinaire_passe, "jean.absent@clamecy.fr", monde.clamecy, present=False, nom="Absent")
    _present(webinaire_passe, "paul.privas@privas.fr", monde.privas, nom="Privadois")
    services.add_membre(
        by=anct,
        cercle=cercle,
        commune=monde.clamecy,
        email="maire@mairie-clamecy.fr",
        prenom="Claude",
        nom="Maire-de-Clamecy",
        fonction="Maire",
        depuis=date(2021, 9, 29),
    )


def test_the_club_section_is_registered_after_the_others():
    sections = {section.key: section for section in registered()}
    keys = list(sections)

    assert (sections["club"].titre, sections["club"].ordre) == ("Club", 40)
    assert keys.index("ingenierie") < keys.index("financements") < keys.index("club")


def test_a_commune_user_sees_its_participation_in_its_dossier(
    client, participation, commune_clamecy, webinaire
):
    services.inscrire_moi(evenement=webinaire, by=commune_clamecy)
    client.force_login(commune_clamecy)

    response = client.get(URL)
    html = response.content.decode()

    assert 'id="onglet-club"' in html
    assert 'id="club-compteurs"' in html
    # Three registrations; one event attended, once, by one person (the absent one and the
    # upcoming registration do not count).
    assert response.context["club_compteurs"] == {
        "inscriptions": 3,
        "evenements": 1,
        "participations": 1,
        "personnes": 1,
    }
    assert "Le Fonds friches" in html  # the past webinar
    assert "anne.dupont@clamecy.fr" in html
    assert "jean.absent@clamecy.fr" in html
    assert "Absent" in html
    assert "maire@clamecy.fr" in html  # the user, registered to the upcoming webinar
    assert "Revitaliser les commerces de centre-ville" in html  # it showcases Clamecy
    assert "Maire-de-Clamecy" in html
    assert "Cercle « Sécurité du quotidien »" in html
    # People of another commune are not shown.
    assert "Privadois" not in html


def test_a_partner_reading_the_dossier_sees_only_the_registrations_it_made(
    client, participation, partenaire
):
    client.force_login(partenaire)

    html = client.get(URL).content.decode()

    assert 'id="onglet-club"' in html
    assert "anne.dupont@clamecy.fr" not in html
    assert "Aucune inscription de personnes de Clamecy" in html
    assert "Revitaliser les commerces de centre-ville" in html  # published events are public


def test_prefecture_of_other_departement_gets_404(client, participation, prefecture_07):
    client.force_login(prefecture_07)

    assert client.get(URL).status_code == 404


def test_dossier_queries_do_not_grow_with_the_club_rows(
    client, participation, anct, prefecture_58, thematiques, monde, cercle
):
    client.force_login(prefecture_58)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    few = count()
    for i in range(20):
        debut = paris(2021, 11, 1 + i, 10)
        evenement = services.publier_evenement(
            evenement=services.create_evenement(
                by=anct,
                type="webinaire",
                titre=f"Webinaire {i}",
                thematique=thematiques["habitat"],
                debut=debut,
                fin=debut + timedelta(hours=1),
                lien="https://webinaire.example.org/x",
                communes_valorisees=[monde.clamecy],
            ),
            by=anct,
        )
        _present(evenement, f"personne{i}@clamecy.fr", monde.clamecy, present=i % 2 == 0)
        services.add_membre(
            by=anct,
            cercle=cercle,
            commune=monde.clamecy,
            email=f"elu{i}@clamecy.fr",
            prenom="",
            nom=f"Élu {i}",
            depuis=date(2021, 10, 1),
        )

    assert count() == few
    assert "Webinaire 19" in client.get(URL).content.decode()
