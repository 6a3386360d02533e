"""Permission matrix of the API of pillar 1 (`ingenierie/api/urls.py`): every route and method,
every persona, the expected status.

The objects belong to Clamecy (Nièvre): the other préfecture gets 404; roles that see an object
but may not act on it get 403; anonymous callers get 401.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from ingenierie import services
from ingenierie.api import urls as api_urls
from tests.conftest import PERSONAS
from tests.financements.test_api_permissions import (  # noqa: F401  (schema: a fixture)
    check_documented,
    routes_and_methods,
    schema,
)

ALL = PERSONAS[1:]


def expect(default: int, **overrides) -> dict:
    return {"anonyme": 401, **dict.fromkeys(ALL, default), **overrides}


READ = expect(200)
READ_CLAMECY = expect(200, prefecture_07=404)
PREFECTURE_58 = expect(403, prefecture_58=200, prefecture_07=404)
DECLARERS = {"prefecture_58": 200, "commune_clamecy": 200, "epci_haut_nivernais": 200}

MATRIX = {
    ("poste-list", "get"): (lambda o: [], None, {}, READ),
    ("poste-list", "post"): (
        lambda o: [],
        {"communes": ["58079"], "employeur_epci": "200067429", "cout_annuel": "50000"},
        {},
        expect(403, prefecture_58=201),
    ),
    ("poste-detail", "get"): (lambda o: [o["poste"].pk], None, {}, READ_CLAMECY),
    ("poste-detail", "patch"): (
        lambda o: [o["poste"].pk],
        {"cout_annuel": "61000"},
        {"If-Match": '"1"'},
        PREFECTURE_58,
    ),
    ("poste-recruter", "post"): (lambda o: [o["poste"].pk], {}, {}, PREFECTURE_58),
    ("poste-pourvoir", "post"): (
        lambda o: [o["en_recrutement"].pk],
        {"titulaire_nom": "Mme Durand", "debut": "2022-09-01"},
        {},
        PREFECTURE_58,
    ),
    ("poste-liberer", "post"): (
        lambda o: [o["occupe"].pk],
        {"fin": "2023-09-01"},
        {},
        PREFECTURE_58,
    ),
    ("vta-list", "get"): (lambda o: [], None, {}, READ),
    ("vta-list", "post"): (
        lambda o: [],
        lambda o: {"poste": o["poste"].pk, "titulaire_nom": "M. Martin", "debut": "2022-10-01"},
        {},
        # The other préfecture does not see the post: it cannot name it (400).
        expect(403, prefecture_58=201, prefecture_07=400),
    ),
    ("vta-detail", "get"): (lambda o: [o["vta"].pk], None, {}, READ_CLAMECY),
    ("soutien-list", "get"): (lambda o: [], None, {}, READ),
    ("soutien-list", "post"): (
        lambda o: [],
        {
            "organisation": "bdt",
            "communes": ["58079"],
            "nature": "amo",
            "objet": "AMO",
            "montant_euros": "1000",
        },
        {},
        expect(403, prefecture_58=201, partenaire=201),
    ),
    ("soutien-detail", "get"): (lambda o: [o["soutien"].pk], None, {}, READ_CLAMECY),
    ("soutien-detail", "patch"): (
        lambda o: [o["soutien"].pk],
        {"objet": "Étude"},
        {"If-Match": '"1"'},
        expect(403, prefecture_58=200, partenaire=200, prefecture_07=404),
    ),
    ("besoins-list", "get"): (lambda o: [], None, {}, READ),
    ("besoins-list", "post"): (
        lambda o: [],
        {"commune": "58013", "etudes": True},
        {},
        # The commune of Clamecy does not see Armes (404); the others see it, may not declare.
        expect(
            403,
            prefecture_58=201,
            epci_haut_nivernais=201,
            commune_clamecy=404,
            prefecture_07=404,
        ),
    ),
    ("besoins-detail", "get"): (lambda o: ["58079"], None, {}, READ_CLAMECY),
    ("besoins-detail", "patch"): (
        lambda o: ["58079"],
        {"etudes": False},
        {"If-Match": '"1"'},
        expect(403, prefecture_07=404, **DECLARERS),
    ),
}


@pytest.fixture
def objets(poste, soutien_bdt, prefecture_58, monde):
    en_recrutement = services.create_poste(
        by=prefecture_58,
        communes=[monde.clamecy],
        cout_annuel=Decimal("50000"),
        employeur_commune=monde.clamecy,
    )
    services.recruter(by=prefecture_58, poste=en_recrutement)
    occupe = services.create_poste(
        by=prefecture_58,
        communes=[monde.clamecy],
        cout_annuel=Decimal("50000"),
        employeur_commune=monde.clamecy,
    )
    services.recruter(by=prefecture_58, poste=occupe)
    services.pourvoir(
        by=prefecture_58, poste=occupe, titulaire_nom="M. Roy", debut=date(2022, 1, 3)
    )
    services.save_besoins(
        by=prefecture_58,
        commune=monde.clamecy,
        chef_de_projet=True,
        etudes=True,
        investissements=False,
    )
    return {
        "poste": poste,
        "en_recrutement": en_recrutement,
        "occupe": occupe,
        "vta": services.create_vta(
            by=prefecture_58, poste=poste, titulaire_nom="V", debut=date(2022, 1, 3)
        ),
        "soutien": soutien_bdt,
    }


def test_every_route_and_method_of_the_api_is_in_the_matrix():
    assert routes_and_methods(api_urls.urlpatterns) == set(MATRIX)


def test_every_persona_is_in_every_row():
    assert all(set(row[3]) == set(PERSONAS) for row in MATRIX.values())


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("route", "method"), sorted(MATRIX))
def test_permission_matrix(schema, as_persona, objets, route, method, persona):  # noqa: F811
    args, body, headers, expected = MATRIX[(route, method)]
    client = as_persona(persona)
    url = reverse(f"api:{route}", args=args(objets))

    if method == "get":
        response = client.get(url)
    else:
        data = body(objets) if callable(body) else body
        response = getattr(client, method)(
            url, data, content_type="application/json", headers=headers
        )

    assert response.status_code == expected[persona], response.content
    check_documented(schema, api_urls.urlpatterns, route, method, response)
