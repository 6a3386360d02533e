"""Permission matrix of the `club` app: every route, every persona, the expected status.

The agenda and published events are public. A proposal of the Nièvre's préfecture is seen by
the Club team and that préfecture only (404 elsewhere); an ANCT draft by the Club team only.
Registrations are the Club team's to follow (403 for the others who see the event). The
registration of Clamecy's maire is seen by its territory (403: they may not cancel it) and
hidden from the others (404).
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from club import services
from club import urls as club_urls
from club.models import Inscription
from tests.conftest import PERSONAS

ALL = dict.fromkeys(PERSONAS, 200)


def private(**overrides) -> dict:
    return {"anonyme": 302, **dict.fromkeys(PERSONAS[1:], 200), **overrides}


NOT_TEAM = dict.fromkeys(PERSONAS[2:], 403)
TEAM = private(**NOT_TEAM)
# An ANCT draft: the Club team alone sees it.
DRAFT = private(**dict.fromkeys(PERSONAS[2:], 404))
# The Nièvre's proposal: the Club team and that préfecture.
PROPOSAL = {**DRAFT, "prefecture_58": 200}

# route → (method, URL arguments from the objects, POST data, expected status by persona)
MATRIX = {
    "agenda": ("get", lambda o: [], None, ALL),
    "agenda_ics": ("get", lambda o: [], None, ALL),
    "evenement_detail": (
        "get",
        lambda o: [o["proposition"].pk],
        None,
        {**PROPOSAL, "anonyme": 404},
    ),
    "evenement_ics": ("get", lambda o: [o["publie"].pk], None, ALL),
    "mes_inscriptions": ("get", lambda o: [], None, private()),
    # The Club team creates; every préfecture proposes.
    "evenement_create": (
        "get",
        lambda o: [],
        None,
        private(**{**NOT_TEAM, "prefecture_58": 200, "prefecture_07": 200}),
    ),
    "evenement_update": ("get", lambda o: [o["proposition"].pk], None, PROPOSAL),
    "evenement_publier": (
        "post",
        lambda o: [o["proposition"].pk],
        {},
        {**PROPOSAL, "anct": 302, "prefecture_58": 403},
    ),
    # A préfecture withdraws its own proposal.
    "evenement_annuler": ("get", lambda o: [o["proposition"].pk], None, PROPOSAL),
    "module_create": ("get", lambda o: [o["formation"].pk], None, DRAFT),
    "module_update": ("get", lambda o: [o["module"].pk], None, DRAFT),
    # Every role but the région's takes part (a second registration is refused politely).
    "inscription": (
        "post",
        lambda o: [o["publie"].pk],
        {},
        {**dict.fromkeys(PERSONAS, 302), "region_27": 403},
    ),
    "inscription_collegue": ("get", lambda o: [o["publie"].pk], None, private(region_27=403)),
    "inscription_annuler": (
        "post",
        lambda o: [o["inscription"].pk],
        {},
        {
            "anonyme": 302,
            "anct": 302,
            "commune_clamecy": 302,
            # Its territory sees the registration but may not cancel it.
            "prefecture_58": 403,
            "region_27": 403,
            "epci_haut_nivernais": 403,
            "prefecture_07": 404,
            "partenaire": 404,
        },
    ),
    "evenement_inscriptions": ("get", lambda o: [o["passe"].pk], None, TEAM),
    "evenement_inscriptions_csv": ("get", lambda o: [o["passe"].pk], None, TEAM),
    "import_presences": ("get", lambda o: [o["passe"].pk], None, TEAM),
    "import_presences_modele": ("get", lambda o: [], None, TEAM),
    "audience": ("get", lambda o: [], None, private()),
    "cercle_list": ("get", lambda o: [], None, private()),
    "cercle_detail": ("get", lambda o: [o["cercle"].pk], None, private()),
    "cercle_create": ("get", lambda o: [], None, TEAM),
    "cercle_update": ("get", lambda o: [o["cercle"].pk], None, TEAM),
    "membre_create": ("get", lambda o: [o["cercle"].pk], None, TEAM),
    "membre_end": ("get", lambda o: [o["membre"].pk], None, TEAM),
    "chiffres": ("get", lambda o: [], None, private()),
}


@pytest.fixture
def objets(anct, prefecture_58, commune_clamecy, monde, thematiques, demain_14h, cercle):
    from tests.club.conftest import paris

    publie = services.publier_evenement(
        evenement=services.create_evenement(
            by=anct,
            type="webinaire",
            titre="Webinaire publié",
            thematique=thematiques["habitat"],
            debut=demain_14h,
            fin=demain_14h + timedelta(hours=1),
            lien="https://webinaire.example.org/habitat",
        ),
        by=anct,
    )
    passe = services.publier_evenement(
        evenement=services.create_evenement(
            by=anct,
            type="webinaire",
            titre="Webinaire passé",
            thematique=thematiques["habitat"],
            debut=paris(2021, 10, 12, 10, 0),
            fin=paris(2021, 10, 12, 11, 0),
            lien="https://webinaire.example.org/passe",
        ),
        by=anct,
    )
    proposition = services.create_evenement(
        by=prefecture_58,
        type="visite",
        titre="Visite du centre-bourg de Clamecy",
        thematique=thematiques["espaces-publics"],
        debut=demain_14h,
        fin=demain_14h + timedelta(hours=2),
        lieu="Place de la mairie",
        commune=monde.clamecy,
        departement=monde.nievre,
    )
    formation = services.create_evenement(
        by=anct,
        type="formation",
        titre="Formation des chefs de projet",
        thematique=thematiques["ingenierie-de-projet"],
        debut=demain_14h,
        fin=demain_14h + timedelta(days=10),
        lien="https://formation.example.org",
    )
    module = services.save_module(
        by=anct,
        session=formation,
        numero=1,
        titre="Diagnostic",
        debut=demain_14h,
        fin=demain_14h + timedelta(hours=3),
    )
    inscription = services.inscrire_moi(evenement=publie, by=commune_clamecy)
    membre = services.add_membre(
        by=anct,
        cercle=cercle,
        commune=monde.clamecy,
        email="adjoint.securite@clamecy.fr",
        prenom="Jeanne",
        nom="Roy",
        fonction="Adjointe à la sécurité",
        depuis=cercle.debut,
    )
    return {
        "publie": publie,
        "passe": passe,
        "proposition": proposition,
        "formation": formation,
        "module": module,
        "inscription": inscription,
        "cercle": cercle,
        "membre": membre,
    }


def test_every_route_of_the_app_is_in_the_matrix():
    assert {pattern.name for pattern in club_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_permission_matrix(as_persona, objets, route, persona):
    method, args, data, expected = MATRIX[route]
    client = as_persona(persona)
    url = reverse(f"club:{route}", args=args(objets))

    response = client.post(url, data or {}) if method == "post" else client.get(url)

    assert response.status_code == expected[persona]
    if response.status_code == 302 and persona == "anonyme":
        assert response["Location"].startswith(reverse("connexion"))


@pytest.mark.parametrize("persona", ["prefecture_07", "partenaire", "region_27"])
def test_mes_inscriptions_never_shows_someone_elses_registration(as_persona, objets, persona):
    response = as_persona(persona).get(reverse("club:mes_inscriptions"))

    assert "Webinaire publié" not in response.text


def test_a_prefecture_of_another_departement_never_sees_clamecy_s_people(objets, prefecture_07):
    assert not Inscription.objects.for_user(prefecture_07).exists()
