"""Permission matrix of the `financements` app: every route, every persona, the expected status.

The objects belong to Clamecy (Nièvre): the other préfecture gets 404; roles that see an object
but may not act on it get 403 (the BdT partner on a DETR line, whose financeur is the État);
anonymous visitors are sent to the login page (302).
"""

import pytest
from django.urls import reverse

from financements import services
from financements import urls as financements_urls
from tests.conftest import PERSONAS

ALL = PERSONAS[1:]


def private(**overrides) -> dict:
    return {"anonyme": 302, **dict.fromkeys(ALL, 200), **overrides}


def only(allowed: dict, otherwise=403, **overrides) -> dict:
    """`allowed` personas get their status, the other logged-in ones `otherwise`."""
    return {"anonyme": 302, **dict.fromkeys(ALL, otherwise), **allowed, **overrides}


OTHER_DEPARTEMENT = {"prefecture_07": 404}
# Writing a line of Clamecy: its préfecture (any financeur) and, for its own lines, the partner.
WRITE_ETAT_LINE = only({"prefecture_58": 200}, **OTHER_DEPARTEMENT)
RECORDERS = only({"prefecture_58": 200, "prefecture_07": 200, "partenaire": 200})
PREFECTURES = only({"prefecture_58": 200, "prefecture_07": 200})
DECLARERS = only(
    dict.fromkeys(["prefecture_58", "prefecture_07", "commune_clamecy", "epci_haut_nivernais"], 200)
)
ANCT_ONLY = only({"anct": 200})


def post_ok(expected: dict, *personas) -> dict:
    return {**expected, **dict.fromkeys(personas, 302)}


# route → (method, URL arguments from the objects, POST data, expected status by persona)
MATRIX = {
    "financement_list": ("get", lambda o: [], None, private()),
    "financement_create": ("get", lambda o: [], None, RECORDERS),
    "financement_detail": ("get", lambda o: [o.demande.pk], None, private(**OTHER_DEPARTEMENT)),
    "financement_update": ("get", lambda o: [o.demande.pk], None, WRITE_ETAT_LINE),
    "financement_decide": (
        "post",
        lambda o: [o.demande.pk],
        lambda o: {"decision-decision": "refuser", "decision-decide_le": "2022-05-02"},
        post_ok(WRITE_ETAT_LINE, "prefecture_58"),
    ),
    "financement_versement": (
        "post",
        lambda o: [o.accorde.pk],
        lambda o: {"versement-verse_le": "2022-05-02", "versement-montant": "1000"},
        post_ok(WRITE_ETAT_LINE, "prefecture_58"),
    ),
    "comite_list": ("get", lambda o: [], None, private()),
    "comite_create": ("get", lambda o: [], None, PREFECTURES),
    "comite_detail": ("get", lambda o: [o.comite.pk], None, private(**OTHER_DEPARTEMENT)),
    "comite_inscrire": (
        "post",
        lambda o: [o.comite.pk],
        lambda o: {"financements": [o.demande.pk]},
        post_ok(WRITE_ETAT_LINE, "prefecture_58"),
    ),
    "comite_decisions": (
        "post",
        lambda o: [o.comite.pk],
        lambda o: {f"decision_{o.bdt.pk}": "refuser"},
        post_ok(WRITE_ETAT_LINE, "prefecture_58"),
    ),
    "action_list": ("get", lambda o: [], None, private()),
    "action_create": ("get", lambda o: [], None, DECLARERS),
    "action_detail": ("get", lambda o: [o.action.pk], None, private(**OTHER_DEPARTEMENT)),
    "action_update": (
        "get",
        lambda o: [o.action.pk],
        None,
        only(
            dict.fromkeys(["prefecture_58", "commune_clamecy", "epci_haut_nivernais"], 200),
            **OTHER_DEPARTEMENT,
        ),
    ),
    "label_list": ("get", lambda o: [], None, private()),
    "label_create": (
        "get",
        lambda o: [],
        None,
        only(dict.fromkeys(["anct", "prefecture_58", "prefecture_07"], 200)),
    ),
    "label_end": (
        "post",
        lambda o: [o.label.pk],
        lambda o: {"fin": "2023-01-31"},
        only({"anct": 302, "prefecture_58": 302}, **OTHER_DEPARTEMENT),
    ),
    "mesure_list": ("get", lambda o: [], None, private()),
    "mesure_detail": ("get", lambda o: [o.mesure.code], None, private()),
    "mesure_create": ("get", lambda o: [], None, ANCT_ONLY),
    "mesure_update": ("get", lambda o: [o.mesure.code], None, ANCT_ONLY),
    "source_list": ("get", lambda o: [], None, private()),
    "source_detail": ("get", lambda o: [o.detr.code], None, private()),
    "source_create": ("get", lambda o: [], None, ANCT_ONLY),
    "source_update": ("get", lambda o: [o.detr.code], None, ANCT_ONLY),
}


@pytest.fixture
def objets(pilier2, prefecture_58):
    services.inscrire(by=prefecture_58, comite=pilier2.comite, financements=[pilier2.bdt])
    return pilier2


def test_every_route_of_the_app_is_in_the_matrix():
    assert {pattern.name for pattern in financements_urls.urlpatterns} == set(MATRIX)


def test_every_persona_is_in_every_row():
    assert all(set(row[3]) == set(PERSONAS) for row in MATRIX.values())


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_permission_matrix(as_persona, objets, route, persona):
    method, args, data, expected = MATRIX[route]
    client = as_persona(persona)
    url = reverse(f"financements:{route}", args=args(objets))

    response = client.post(url, data(objets)) if method == "post" else client.get(url)

    assert response.status_code == expected[persona]
    if response.status_code == 302 and persona == "anonyme":
        assert response["Location"].startswith(reverse("connexion"))
