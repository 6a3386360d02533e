"""Permission matrix of the Club's API (`club.api.urls`): every route, every persona, the
expected status; the test fails when a route is added without its line.

Published events are public (anonymous visitors included); the Nièvre préfecture's proposal is
seen by the Club team and that préfecture only (404 elsewhere). The registration of Clamecy's
maire is seen by the Club team, by Clamecy's territory (its préfecture, région, EPCI, itself)
and hidden from the others (404); only the Club team and the maire may cancel it (403 for the
territory). Registrations need an account (401 for anonymous visitors, as everywhere in the API:
the token comes first in the authentication classes).
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from club import services
from club.api import urls as club_api_urls
from tests.conftest import PERSONAS

ALL = dict.fromkeys(PERSONAS, 200)
SIGNED_IN = {"anonyme": 401, **dict.fromkeys(PERSONAS[1:], 200)}
PROPOSAL = {
    **dict.fromkeys(PERSONAS, 404),
    "anct": 200,
    "prefecture_58": 200,
}
# Clamecy's maire's registration: the Club team and Clamecy's territory see it.
CLAMECY = {
    "anonyme": 401,
    **dict.fromkeys(["prefecture_07", "partenaire"], 404),
    **dict.fromkeys(
        ["anct", "prefecture_58", "region_27", "commune_clamecy", "epci_haut_nivernais"], 200
    ),
}

# route name → (method, URL arguments, POST data, expected status by persona)
MATRIX = {
    "club-evenement-list": ("get", lambda o: [], None, ALL),
    "club-evenement-detail": ("get", lambda o: [o["proposition"].pk], None, PROPOSAL),
    "club-inscription-list": ("get", lambda o: [], None, SIGNED_IN),
    "club-inscription-detail": ("get", lambda o: [o["inscription"].pk], None, CLAMECY),
    # Registering oneself: every role but the région's (403); the maire is already registered.
    "club-inscription-list:post": (
        "post",
        lambda o: [],
        lambda o: {"evenement": o["publie"].pk},
        {
            **dict.fromkeys(PERSONAS, 201),
            "anonyme": 401,
            "region_27": 403,
            "commune_clamecy": 400,
        },
    ),
    "club-inscription-annuler": (
        "post",
        lambda o: [o["inscription"].pk],
        None,
        {
            **CLAMECY,
            "anct": 200,
            "commune_clamecy": 200,
            **dict.fromkeys(["prefecture_58", "region_27", "epci_haut_nivernais"], 403),
        },
    ),
}


@pytest.fixture
def objets(anct, prefecture_58, commune_clamecy, monde, thematiques, demain_14h):
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
    inscription = services.inscrire_moi(evenement=publie, by=commune_clamecy)
    return {"publie": publie, "proposition": proposition, "inscription": inscription}


def test_every_route_of_the_club_api_is_in_the_matrix():
    names = {pattern.name for pattern in club_api_urls.urlpatterns}

    assert names == {route.partition(":")[0] for route in MATRIX}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_permission_matrix(as_persona, objets, route, persona):
    method, args, data, expected = MATRIX[route]
    client = as_persona(persona)
    url = reverse(f"api:{route.partition(':')[0]}", args=args(objets))

    if method == "post":
        response = client.post(url, data(objets) if data else {}, content_type="application/json")
    else:
        response = client.get(url)

    assert response.status_code == expected[persona], response.content
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("persona", ["prefecture_07", "partenaire"])
def test_a_registration_outside_the_perimeter_is_never_listed(as_persona, objets, persona):
    results = as_persona(persona).get(reverse("api:club-inscription-list")).json()["results"]

    assert objets["inscription"].pk not in [row["id"] for row in results]


def test_a_token_reads_with_its_user_s_rights_only(client, objets, prefecture_07):
    from communes import services as comptes

    token = comptes.create_token(by=prefecture_07, libelle="SI", duree=30)[1]
    headers = {"Authorization": f"Token {token}"}

    listed = client.get(reverse("api:club-inscription-list"), headers=headers)
    hidden = client.get(
        reverse("api:club-inscription-detail", args=[objets["inscription"].pk]), headers=headers
    )

    assert listed.status_code == 200
    assert listed.json()["count"] == 0
    assert hidden.status_code == 404
