"""Permission matrix of the `conventions` API: every route and method of `conventions/api/urls.py`,
every persona, the expected status; and a partner's token, which reads its area only.

The objects belong to the Nièvre: the other préfecture gets 404; roles that see an object but
may not act on it get 403; anonymous callers get 401 (the API never redirects to a login page).
"""

import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from communes.enums import Role
from communes.models import DureeJeton
from communes.services import create_token
from conventions.api import urls as api_urls
from conventions.enums import Avis
from conventions.models import Candidature
from conventions.services import candidatures as candidature_services
from conventions.services import conventions as convention_services
from tests.conftest import PERSONAS
from tests.factories import CommuneFactory, HabilitationFactory, UserFactory

ALL = PERSONAS[1:]


def expect(allowed: dict, otherwise=403, **overrides) -> dict:
    """`allowed` personas get their status, the other logged-in ones `otherwise`."""
    return {"anonyme": 401, **dict.fromkeys(ALL, otherwise), **allowed, **overrides}


READ = expect({}, otherwise=200)
READ_NIEVRE = expect({}, otherwise=200, prefecture_07=404)
# Objects of the Haut Nivernais but not of Clamecy: the commune does not see them.
OUTSIDE_CLAMECY = {"prefecture_07": 404, "commune_clamecy": 404}
PREFECTURE_58 = expect({"prefecture_58": 200}, **OUTSIDE_CLAMECY)
# Château-Chinon is in another EPCI too.
ON_CHATEAU_CHINON = {**PREFECTURE_58, "epci_haut_nivernais": 404}
# Creations: only préfectures file them; the other préfecture is refused by the service (its
# communes are not there) or does not see the convention it names (unknown: 400).
CREATE_FOR_58 = expect({"prefecture_58": 201, "prefecture_07": 403})
CREATE_ON_CONVENTION = expect({"prefecture_58": 201, "prefecture_07": 400})


def json_body(data):
    return {"data": json.dumps(data), "content_type": "application/json"}


def versioned(obj, data: dict) -> dict:
    return {**json_body(data), "headers": {"If-Match": f'"{obj.version}"'}}


def signature(obj, pdf, day: str) -> dict:
    return {"data": {"signee_le": day, "document": pdf(), "version": obj.version}}


# (route, method) → (URL arguments from the objects, request kwargs from the objects and the
# `pdf` factory, expected status by persona)
MATRIX = {
    ("candidature-list", "get"): (lambda o: [], None, READ),
    ("candidature-list", "post"): (
        lambda o: [],
        lambda o, pdf: json_body({"communes": ["58086"], "deposee_le": "2021-02-01"}),
        CREATE_FOR_58,
    ),
    ("candidature-detail", "get"): (lambda o: [o["laureates"].pk], None, READ_NIEVRE),
    ("candidature-instruire", "post"): (
        lambda o: [o["deposee"].pk],
        lambda o, pdf: json_body({"avis": "favorable"}),
        ON_CHATEAU_CHINON,
    ),
    ("candidature-decider", "post"): (
        lambda o: [o["instruite"].pk],
        lambda o, pdf: json_body({"decision": "retenir", "decidee_le": "2021-03-01"}),
        expect({"prefecture_58": 200, "region_27": 200}, **OUTSIDE_CLAMECY),
    ),
    ("candidature-retirer", "post"): (
        lambda o: [o["deposee"].pk],
        lambda o, pdf: json_body({"commentaire": "Projet abandonné"}),
        ON_CHATEAU_CHINON,
    ),
    ("convention-adhesion-list", "get"): (lambda o: [], None, READ),
    ("convention-adhesion-list", "post"): (
        lambda o: [],
        lambda o, pdf: json_body({"communes": ["58160"], "presidence_comite": "unique"}),
        CREATE_FOR_58,
    ),
    ("convention-adhesion-detail", "get"): (lambda o: [o["adhesion"].pk], None, READ_NIEVRE),
    ("convention-adhesion-detail", "put"): (
        lambda o: [o["en_preparation"].pk],
        lambda o, pdf: versioned(
            o["en_preparation"],
            {"communes": ["58095"], "presidence_comite": "maires", "president_comite": "Le maire"},
        ),
        PREFECTURE_58,
    ),
    ("convention-adhesion-detail", "patch"): (
        lambda o: [o["en_preparation"].pk],
        lambda o, pdf: versioned(o["en_preparation"], {"president_comite": "La maire"}),
        PREFECTURE_58,
    ),
    ("convention-adhesion-signer", "post"): (
        lambda o: [o["en_preparation"].pk],
        lambda o, pdf: signature(o["en_preparation"], pdf, "2021-07-01"),
        PREFECTURE_58,
    ),
    ("convention-cadre-list", "get"): (lambda o: [], None, READ),
    ("convention-cadre-list", "post"): (
        lambda o: [],
        lambda o, pdf: json_body({"adhesion": o["adhesion"].pk, "communes": ["58079"]}),
        CREATE_ON_CONVENTION,
    ),
    # The cadre covers Armes only: Clamecy's commune does not see it.
    ("convention-cadre-detail", "get"): (
        lambda o: [o["cadre"].pk],
        None,
        expect({}, otherwise=200, **OUTSIDE_CLAMECY),
    ),
    ("convention-cadre-detail", "put"): (
        lambda o: [o["cadre"].pk],
        lambda o, pdf: versioned(o["cadre"], {"communes": ["58013"], "orientations": []}),
        PREFECTURE_58,
    ),
    ("convention-cadre-detail", "patch"): (
        lambda o: [o["cadre"].pk],
        lambda o, pdf: versioned(o["cadre"], {"orientations": []}),
        PREFECTURE_58,
    ),
    ("convention-cadre-signer", "post"): (
        lambda o: [o["cadre"].pk],
        lambda o, pdf: signature(o["cadre"], pdf, "2021-09-01"),
        PREFECTURE_58,
    ),
    ("avenant-list", "get"): (lambda o: [], None, READ),
    ("avenant-list", "post"): (
        lambda o: [],
        lambda o, pdf: json_body({"convention_adhesion": o["adhesion"].pk, "objet": "Ajout"}),
        CREATE_ON_CONVENTION,
    ),
    ("avenant-detail", "get"): (lambda o: [o["avenant"].pk], None, READ_NIEVRE),
    ("avenant-signer", "post"): (
        lambda o: [o["avenant"].pk],
        lambda o, pdf: signature(o["avenant"], pdf, "2021-10-01"),
        expect({"prefecture_58": 200}, prefecture_07=404),
    ),
    ("dossier-list", "get"): (lambda o: [], None, READ),
    ("dossier-detail", "get"): (lambda o: ["58079"], None, READ_NIEVRE),
}


def laureate(commune, by_prefecture, by_region) -> Candidature:
    candidature = candidature_services.create_candidature(
        by=by_prefecture, communes=[commune], deposee_le=date(2020, 11, 2)
    )
    candidature_services.instruct_candidature(
        candidature=candidature, by=by_prefecture, avis=Avis.FAVORABLE
    )
    return candidature_services.decide_candidature(
        candidature=candidature, by=by_region, retenue=True, decidee_le=date(2020, 12, 10)
    )


@pytest.fixture
def objets(monde, laureates, adhesion_signee, prefecture_58, region_27):
    """Nièvre objects: Clamecy and Armes (signed adhésion, its avenant, a cadre for Armes),
    Château-Chinon (deposited candidature), and communes of the Haut Nivernais: Corbigny (free),
    Varzy (instructed), Luzy (lauréate without convention), Decize (adhésion in preparation)."""
    haut_nivernais = {"departement": monde.nievre, "epci": monde.haut_nivernais}
    CommuneFactory(code="58086", nom="Corbigny", **haut_nivernais)
    varzy = CommuneFactory(code="58304", nom="Varzy", **haut_nivernais)
    luzy = CommuneFactory(code="58160", nom="Luzy", **haut_nivernais)
    decize = CommuneFactory(code="58095", nom="Decize", **haut_nivernais)
    instruite = candidature_services.create_candidature(
        by=prefecture_58, communes=[varzy], deposee_le=date(2021, 1, 4)
    )
    laureate(luzy, prefecture_58, region_27)
    laureate(decize, prefecture_58, region_27)
    return {
        "laureates": Candidature.objects.get(communes=monde.clamecy),
        "deposee": candidature_services.create_candidature(
            by=prefecture_58, communes=[monde.chateau_chinon], deposee_le=date(2021, 1, 4)
        ),
        "instruite": candidature_services.instruct_candidature(
            candidature=instruite, by=prefecture_58, avis=Avis.FAVORABLE
        ),
        "adhesion": adhesion_signee,
        "en_preparation": convention_services.create_convention_adhesion(
            by=prefecture_58, communes=[decize], presidence_comite="unique"
        ),
        "cadre": convention_services.create_convention_cadre(
            by=prefecture_58, adhesion=adhesion_signee, communes=[monde.armes]
        ),
        "avenant": convention_services.create_avenant(
            by=prefecture_58, convention=adhesion_signee, objet="Ajout d’un partenaire"
        ),
    }


def test_every_route_and_method_of_the_api_is_in_the_matrix():
    routes = {
        (pattern.name, method)
        for pattern in api_urls.urlpatterns
        for method in pattern.callback.actions
        if method != "head"  # DRF adds it to a GET route's actions once the route is served
    }
    assert routes == set(MATRIX)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_permission_matrix(as_persona, objets, pdf, route, persona):
    (name, method), (args, request, expected) = route, MATRIX[route]
    client = as_persona(persona)
    url = reverse(f"api:{name}", args=args(objets))

    response = getattr(client, method)(url, **(request(objets, pdf) if request else {}))

    assert response.status_code == expected[persona], response.content
    assert response["Content-Type"] == "application/json"
    if response.status_code >= 400:
        assert set(response.json()) == {"detail"}


# A partner's personal token --------------------------------------------------------------------


def token_client(user) -> Client:
    """A client as another system is: no session, CSRF checked, the token alone says who calls."""
    _, cle = create_token(by=user, libelle="SI du partenaire", duree=DureeJeton.UN_AN)
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Token {cle}"})


@pytest.fixture
def partenaire_ardeche(monde):
    """A Banque des Territoires agent whose area is the Ardèche."""
    user = UserFactory(email="bdt07@banquedesterritoires.fr")
    HabilitationFactory(
        user=user,
        role=Role.PARTENAIRE,
        organisation=monde.banque_des_territoires,
        departement=monde.ardeche,
    )
    return user


def test_a_partners_token_reads_nothing_outside_its_area(objets, partenaire_ardeche, monde):
    client = token_client(partenaire_ardeche)

    for name in ("candidature", "convention-adhesion", "convention-cadre", "avenant", "dossier"):
        response = client.get(reverse(f"api:{name}-list"))
        assert response.status_code == 200
        assert response.json()["count"] == 0, name
    assert client.get(reverse("api:dossier-detail", args=["58079"])).status_code == 404
    detail = reverse("api:candidature-detail", args=[objets["laureates"].pk])
    assert client.get(detail).status_code == 404
    adhesion = reverse("api:convention-adhesion-detail", args=[objets["en_preparation"].pk])
    assert client.patch(adhesion, **versioned(objets["en_preparation"], {})).status_code == 404
    # Nor does it write: creating needs a préfecture, even with a valid body.
    response = client.post(
        reverse("api:candidature-list"),
        **json_body({"communes": ["07186"], "deposee_le": "2021-02-01"}),
    )
    assert response.status_code == 403
    assert not Candidature.objects.filter(communes=monde.privas).exists()


def test_a_partners_token_reads_its_area_but_may_not_write(objets, partenaire, prefecture_58):
    client = token_client(partenaire)  # national area, no préfecture role

    assert client.get(reverse("api:dossier-detail", args=["58079"])).status_code == 200
    adhesion = objets["en_preparation"]
    response = client.patch(
        reverse("api:convention-adhesion-detail", args=[adhesion.pk]),
        **versioned(adhesion, {"president_comite": "Quelqu’un d’autre"}),
    )
    assert response.status_code == 403
    adhesion.refresh_from_db()
    assert adhesion.president_comite == ""


def test_a_revoked_or_false_token_answers_401(objets):
    client = Client(headers={"Authorization": "Token pvd_faux"})

    response = client.get(reverse("api:dossier-list"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_prefectures_token_writes_like_its_user_without_csrf(objets, prefecture_58):
    response = token_client(prefecture_58).post(
        reverse("api:candidature-list"),
        **json_body({"communes": ["58086"], "deposee_le": "2021-02-01"}),
    )

    assert response.status_code == 201, response.content
    assert Candidature.objects.get(pk=response.json()["id"]).created_by == prefecture_58
