"""Permission matrix of the `conventions` app: every route, every persona, the expected status.

The objects belong to the Nièvre: other départements' agents get 404; roles that see an object
but may not act on it get 403; anonymous visitors are sent to the login page (302), except on
the public pages.
"""

from datetime import date

import pytest
from django.urls import reverse

from conventions import urls as conventions_urls
from conventions.services.candidatures import create_candidature
from conventions.services.conventions import create_avenant, create_convention_cadre
from tests.conftest import PERSONAS, fermer

PUBLIC = dict.fromkeys(PERSONAS, 200)


def private(**overrides) -> dict:
    return {"anonyme": 302, **dict.fromkeys(PERSONAS[1:], 200), **overrides}


NOT_PREFECTURE = dict.fromkeys(
    ["anct", "region_27", "commune_clamecy", "epci_haut_nivernais", "partenaire"], 403
)
# Inside the perimeter of everyone but the other préfecture.
OTHER_DEPARTEMENT = {"prefecture_07": 404}
MANAGE = private(**NOT_PREFECTURE, **OTHER_DEPARTEMENT)

# route → (method, URL arguments from the objects, POST data, expected status by persona)
MATRIX = {
    "public_list": ("get", lambda o: [], None, PUBLIC),
    "public_map": ("get", lambda o: [], None, PUBLIC),
    "public_detail": ("get", lambda o: ["58079"], None, PUBLIC),
    "opendata_communes": ("get", lambda o: [], None, PUBLIC),
    "dossier_list": ("get", lambda o: [], None, private()),
    "echeances": ("get", lambda o: [], None, private()),
    "dossier_detail": ("get", lambda o: ["58079"], None, private(**OTHER_DEPARTEMENT)),
    "dossier_ort": (
        "post",
        lambda o: ["58079"],
        {"signee_le": "2019-07-01", "origine": "anterieure"},
        {**MANAGE, "prefecture_58": 302},
    ),
    "candidature_list": ("get", lambda o: [], None, private()),
    "candidature_create": (
        "get",
        lambda o: [],
        None,
        private(**NOT_PREFECTURE),
    ),
    "candidature_decisions": (
        "get",
        lambda o: [],
        None,
        private(**{**NOT_PREFECTURE, "region_27": 200}),
    ),
    "candidature_detail": (
        "get",
        lambda o: [o["laureates"].pk],
        None,
        private(**OTHER_DEPARTEMENT),
    ),
    "candidature_transition": (
        "post",
        lambda o: [o["deposee"].pk, "retirer"],
        {"commentaire": ""},
        # Château-Chinon: outside the commune's and the EPCI's perimeter.
        {
            **MANAGE,
            "prefecture_58": 302,
            "commune_clamecy": 404,
            "epci_haut_nivernais": 404,
        },
    ),
    "adhesion_create": ("get", lambda o: [], None, private(**NOT_PREFECTURE)),
    "cadre_create": ("get", lambda o: [o["adhesion"].pk], None, MANAGE),
    "convention_detail": (
        "get",
        lambda o: ["adhesion", o["adhesion"].pk],
        None,
        private(**OTHER_DEPARTEMENT),
    ),
    "convention_update": ("get", lambda o: ["cadre", o["cadre"].pk], None, MANAGE),
    "convention_sign": ("get", lambda o: ["avenant", o["avenant"].pk], None, MANAGE),
    "convention_document": (
        "get",
        lambda o: ["adhesion", o["adhesion"].pk],
        None,
        private(**OTHER_DEPARTEMENT),
    ),
    "avenant_create": ("get", lambda o: ["adhesion", o["adhesion"].pk], None, MANAGE),
}


@pytest.fixture
def objets(monde, laureates, adhesion_signee, prefecture_58):
    from conventions.models import Candidature

    return {
        "laureates": Candidature.objects.get(communes=monde.clamecy),
        "deposee": create_candidature(
            by=prefecture_58, communes=[monde.chateau_chinon], deposee_le=date(2021, 1, 4)
        ),
        "adhesion": adhesion_signee,
        "cadre": create_convention_cadre(by=prefecture_58, adhesion=adhesion_signee),
        "avenant": create_avenant(by=prefecture_58, convention=adhesion_signee, objet="Ajout"),
    }


def test_every_route_of_the_app_is_in_the_matrix():
    assert {pattern.name for pattern in conventions_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_permission_matrix(as_persona, objets, route, persona):
    method, args, data, expected = MATRIX[route]
    client = as_persona(persona)
    url = reverse(f"conventions:{route}", args=args(objets))

    response = client.post(url, data or {}) if method == "post" else client.get(url)
    fermer(response)  # a download holds its file open until then

    assert response.status_code == expected[persona]
    if response.status_code == 302 and persona == "anonyme":
        assert response["Location"].startswith(reverse("connexion"))


@pytest.mark.parametrize("persona", ["prefecture_07", "commune_clamecy"])
def test_lists_never_contain_another_territorys_dossiers(as_persona, objets, persona, monde):
    client = as_persona(persona)

    codes = {d.code for d in client.get(reverse("conventions:dossier_list")).context["dossiers"]}
    candidatures = client.get(reverse("conventions:candidature_list")).context["candidatures"]

    allowed = {"prefecture_07": set(), "commune_clamecy": {"58079"}}[persona]
    assert codes == allowed
    # A shared candidature names its co-applicants, but each listed one concerns the perimeter.
    for candidature in candidatures:
        assert {c.code for c in candidature.communes.all()} & allowed
