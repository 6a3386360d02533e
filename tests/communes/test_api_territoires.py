"""The territories in the API (`communes.api`): public, read-only, addressed by official codes,
current territories by default, filtered by codes, paginated, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CommuneFactory, DepartementFactory, EPCIFactory, RegionFactory


def liste(nom: str) -> str:
    return reverse(f"api:territoire-{nom}-list")


def detail(nom: str, code: str) -> str:
    return reverse(f"api:territoire-{nom}-detail", args=[code])


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row.get("code") or row["siren"] for row in response.json()["results"]]


# Anonymous access, list and detail -------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonyme", "prefecture_07", "commune_clamecy"])
def test_every_persona_reads_the_territories_of_all_france(as_persona, persona):
    client = as_persona(persona)

    assert codes(client.get(liste("region"))) == ["84", "27"]  # by name
    assert codes(client.get(liste("departement"))) == ["07", "21", "58"]
    assert client.get(detail("commune", "58079")).status_code == 200


def test_a_region_and_a_departement_by_their_code(client, monde):
    assert client.get(detail("region", "27")).json() == {
        "code": "27",
        "nom": "Bourgogne-Franche-Comté",
        "actuel": True,
    }
    assert client.get(detail("departement", "58")).json() == {
        "code": "58",
        "nom": "Nièvre",
        "region": "27",
        "actuel": True,
    }


def test_an_epci_by_its_siren(client, monde):
    monde.privas_agglo.population = 42_000
    monde.privas_agglo.save()

    assert client.get(detail("epci", "200070761")).json() == {
        "siren": "200070761",
        "nom": "CA Privas Centre Ardèche",
        "type": "CA",
        "population": 42_000,
        "actuel": True,
    }


def test_a_commune_by_its_insee_code_with_its_parents_codes(client, monde):
    assert client.get(detail("commune", "58079")).json() == {
        "code": "58079",
        "nom": "Clamecy",
        "codes_postaux": ["58500"],
        "population": 3544,
        "siren": "",
        "departement": "58",
        "region": "27",
        "collectivite_outre_mer": None,
        "epci": "200067429",
        "actuel": True,
    }


@pytest.mark.parametrize(
    ("nom", "code", "message"),
    [
        ("region", "99", "Aucune région n’a ce code INSEE."),
        ("departement", "2C", "Aucun département n’a ce code INSEE."),
        ("epci", "123456789", "Aucun EPCI n’a ce SIREN."),
        ("commune", "99999", "Aucune commune n’a ce code INSEE."),
        ("commune", "58.079", "Aucune commune n’a ce code INSEE."),
    ],
)
def test_an_unknown_code_answers_404_in_french_json(client, monde, nom, code, message):
    response = client.get(detail(nom, code))

    assert response.status_code == 404
    assert response.json() == {"detail": message}


def test_the_territories_are_read_only(client, monde):
    assert client.post(liste("commune"), {"code": "58999"}).status_code == 405
    assert client.delete(detail("commune", "58079")).status_code == 405


# Obsolete territories --------------------------------------------------------------------------


@pytest.fixture
def fusionnee(monde):
    """A former commune of the Nièvre, merged: the referential keeps it, obsolete."""
    return CommuneFactory(code="58001", nom="Ancienne", departement=monde.nievre, obsolete=True)


def test_lists_show_current_territories_by_default(client, fusionnee):
    assert "58001" not in codes(client.get(liste("commune"), {"departement": "58"}))
    assert codes(client.get(liste("commune"), {"actuel": "true", "departement": "58"})) == [
        "58013",
        "58062",
        "58079",
    ]


def test_actuel_false_lists_the_obsolete_territories(client, fusionnee):
    assert codes(client.get(liste("commune"), {"actuel": "false"})) == ["58001"]
    assert codes(client.get(liste("region"), {"actuel": "false"})) == []


def test_an_obsolete_territory_is_still_readable_by_its_code(client, fusionnee):
    response = client.get(detail("commune", "58001"))

    assert response.status_code == 200
    assert response.json()["actuel"] is False


def test_an_obsolete_departement_still_filters_its_former_communes(client, monde):
    ancien = DepartementFactory(code="20", nom="Corse", region=monde.aura, obsolete=True)
    CommuneFactory(code="20004", nom="Afa", departement=ancien, obsolete=True)

    assert codes(client.get(liste("departement"), {"actuel": "false"})) == ["20"]
    assert codes(client.get(liste("commune"), {"departement": "20", "actuel": "false"})) == [
        "20004"
    ]


# Filters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filtres", "attendus"),
    [
        ({"departement": "58"}, ["58013", "58062", "58079"]),
        ({"region": "84"}, ["07186"]),
        ({"epci": "200067890"}, ["58062", "21580"]),
        ({"region": "27", "epci": "200067890"}, ["58062", "21580"]),
        ({"q": "chateau chinon"}, ["58062"]),
        ({"q": "CLAMÉCY"}, ["58079"]),
        ({"q": "580"}, ["58013", "58062", "58079"]),  # the beginning of INSEE codes
        ({"q": "07000"}, ["07186"]),  # a postal code
        ({"q": "introuvable"}, []),
    ],
)
def test_the_communes_filters(client, monde, filtres, attendus):
    assert codes(client.get(liste("commune"), filtres)) == attendus


@pytest.mark.parametrize(
    ("filtres", "attendus"),
    [
        ({"departement": "21"}, ["200067890"]),
        ({"departement": "58"}, ["200067429", "200067890"]),
        ({"region": "84"}, ["200070761"]),
        ({"q": "morvan"}, ["200067890"]),
        ({"q": "200070"}, ["200070761"]),  # the beginning of a SIREN
    ],
)
def test_the_epci_filters(client, monde, filtres, attendus):
    # Privas' EPCI has no commune outside the Ardèche; the Morvan straddles 58 and 21.
    assert codes(client.get(liste("epci"), filtres)) == attendus


@pytest.mark.parametrize(
    ("nom", "filtres", "attendus"),
    [
        ("departement", {"region": "27"}, ["21", "58"]),
        ("departement", {"q": "cote d or"}, ["21"]),
        ("departement", {"q": "07"}, ["07"]),
        ("region", {"q": "bourgogne"}, ["27"]),
        ("region", {"q": "84"}, ["84"]),
    ],
)
def test_the_departements_and_regions_filters(client, monde, nom, filtres, attendus):
    assert codes(client.get(liste(nom), filtres)) == attendus


@pytest.mark.parametrize(
    ("nom", "filtres", "parametre"),
    [
        ("commune", {"departement": "99"}, "departement"),
        ("commune", {"region": "zz"}, "region"),
        ("commune", {"epci": "000000000"}, "epci"),
        ("commune", {"actuel": "peut-être"}, "actuel"),
        ("epci", {"departement": "99"}, "departement"),
        ("departement", {"region": "99"}, "region"),
        ("region", {"actuel": "1"}, "actuel"),
    ],
)
def test_a_bad_filter_answers_400_in_french_json(client, monde, nom, filtres, parametre):
    response = client.get(liste(nom), filtres)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    message = response.json()["detail"]
    assert f"paramètre « {parametre} »" in message
    assert "Sélectionnez un choix valide" in message


# Pagination and queries ------------------------------------------------------------------------


def test_the_lists_are_paginated_with_taille(client, monde):
    first = client.get(liste("commune"), {"taille": 2}).json()

    assert first["count"] == 5
    assert [row["code"] for row in first["results"]] == ["58013", "58062"]
    last = client.get(first["next"]).json()
    assert "taille=2" in first["next"]
    assert [row["code"] for row in last["results"]] == ["58079", "07186"]


def test_fifty_a_page_by_default_and_five_hundred_at_most(client, monde):
    departement = DepartementFactory(code="89", nom="Yonne", region=monde.bfc)
    CommuneFactory.create_batch(501, departement=departement)

    assert len(client.get(liste("commune")).json()["results"]) == 50
    response = client.get(liste("commune"), {"taille": 10_000}).json()
    assert response["count"] == 506
    assert len(response["results"]) == 500


def test_a_page_past_the_last_answers_404_in_french_json(client, monde):
    response = client.get(liste("commune"), {"page": 99})

    assert response.status_code == 404
    assert response.json()["detail"].startswith("Page 99 introuvable")


def _queries(client, url, filtres) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, filtres).status_code == 200
    return len(queries)


@pytest.mark.parametrize("nom", ["region", "departement", "epci", "commune"])
def test_the_number_of_queries_does_not_grow_with_the_rows(client, monde, nom):
    def grow(n):
        for _ in range(n):
            RegionFactory()
            departement = DepartementFactory(region=monde.bfc)
            epci = EPCIFactory()
            CommuneFactory(departement=departement, epci=epci, codes_postaux=["89000"])

    # A filter by code too (its validation reads the filtered territory, once).
    filtres = {} if nom == "region" else {"region": "27"}
    grow(2)
    with_few = _queries(client, liste(nom), filtres)
    grow(18)
    with_many = _queries(client, liste(nom), filtres)

    assert with_many == with_few
    assert len(client.get(liste(nom), {"taille": 500}).json()["results"]) >= 20


def test_territories_are_public_but_a_wrong_token_is_refused(client, monde):
    response = client.get(liste("region"), HTTP_AUTHORIZATION="Token pvd_faux")

    assert response.status_code == 401
    assert response.json() == {"detail": "Token non valide."}
    assert client.get(liste("region")).status_code == 200
