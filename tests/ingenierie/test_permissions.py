"""Permission matrix of the `ingenierie` app: every route, every persona, the expected status.

The objects belong to Clamecy (Nièvre): the other préfecture gets 404; roles that see an object
but may not act on it get 403; anonymous visitors are sent to the login page (302).
"""

import pytest
from django.urls import reverse

from ingenierie import urls as ingenierie_urls
from tests.conftest import PERSONAS


def private(**overrides) -> dict:
    return {"anonyme": 302, **dict.fromkeys(PERSONAS[1:], 200), **overrides}


NOT_PREFECTURE = dict.fromkeys(
    ["anct", "region_27", "commune_clamecy", "epci_haut_nivernais", "partenaire"], 403
)
OTHER_DEPARTEMENT = {"prefecture_07": 404}
# What the préfecture of the commune alone does.
MANAGE = private(**NOT_PREFECTURE, **OTHER_DEPARTEMENT)

# route → (method, URL arguments from the objects, POST data, expected status by persona)
MATRIX = {
    "poste_list": ("get", lambda o: [], None, private()),
    "poste_detail": ("get", lambda o: [o["poste"].pk], None, private(**OTHER_DEPARTEMENT)),
    # Every préfecture records posts (for its own communes).
    "poste_create": ("get", lambda o: [], None, private(**NOT_PREFECTURE)),
    "poste_update": ("get", lambda o: [o["poste"].pk], None, MANAGE),
    "poste_transition": (
        "post",
        lambda o: [o["poste"].pk, "recruter"],
        {"recruter-commentaire": ""},
        {**MANAGE, "prefecture_58": 302},
    ),
    "vta_create": ("get", lambda o: [o["poste"].pk], None, MANAGE),
    "soutien_list": ("get", lambda o: [], None, private()),
    "soutien_detail": ("get", lambda o: [o["cerema"].pk], None, private(**OTHER_DEPARTEMENT)),
    # Préfectures and partners record soutiens.
    "soutien_create": (
        "get",
        lambda o: [],
        None,
        private(**{**NOT_PREFECTURE, "partenaire": 200}),
    ),
    # The Cerema's soutien: the Banque des Territoires' agent sees it, may not edit it.
    "soutien_update": ("get", lambda o: [o["cerema"].pk], None, MANAGE),
    "besoins": (
        "get",
        lambda o: ["58079"],
        None,
        private(
            **{
                **NOT_PREFECTURE,
                **OTHER_DEPARTEMENT,
                "commune_clamecy": 200,
                "epci_haut_nivernais": 200,
            }
        ),
    ),
}


@pytest.fixture
def objets(poste, soutien_cerema):
    return {"poste": poste, "cerema": soutien_cerema}


def test_every_route_of_the_app_is_in_the_matrix():
    assert {pattern.name for pattern in ingenierie_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_permission_matrix(as_persona, objets, route, persona):
    method, args, data, expected = MATRIX[route]
    client = as_persona(persona)
    url = reverse(f"ingenierie:{route}", args=args(objets))

    response = client.post(url, data or {}) if method == "post" else client.get(url)

    assert response.status_code == expected[persona]
    if response.status_code == 302 and persona == "anonyme":
        assert response["Location"].startswith(reverse("connexion"))


@pytest.mark.parametrize("route", ["poste_list", "soutien_list"])
def test_lists_never_contain_another_departements_objects(as_persona, objets, route):
    client = as_persona("prefecture_07")

    response = client.get(reverse(f"ingenierie:{route}"))

    key = "postes" if route == "poste_list" else "soutiens"
    assert list(response.context[key]) == []
    assert "Clamecy" not in response.text


def test_an_unknown_transition_is_404(as_persona, objets):
    client = as_persona("prefecture_58")

    url = reverse("ingenierie:poste_transition", args=[objets["poste"].pk, "supprimer"])

    assert client.post(url).status_code == 404
