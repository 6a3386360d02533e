import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CommuneFactory, DepartementFactory, EPCIFactory, RegionFactory


def test_the_territory_pages_are_public(client, monde):
    for url in (
        reverse("communes:territoires"),
        monde.bfc.get_absolute_url(),
        monde.nievre.get_absolute_url(),
        monde.haut_nivernais.get_absolute_url(),
        monde.clamecy.get_absolute_url(),
    ):
        assert client.get(url).status_code == 200, url


def test_unknown_codes_answer_404(client, monde):
    for name, code in (
        ("region_detail", "99"),
        ("departement_detail", "99"),
        ("epci_detail", "123456789"),
        ("commune_detail", "99999"),
    ):
        assert client.get(reverse(f"communes:{name}", args=[code])).status_code == 404


def test_the_commune_page_shows_its_official_data(client, monde):
    response = client.get(monde.clamecy.get_absolute_url())

    for text in (
        "Clamecy",
        "58079",
        "58500",
        "3\xa0544 habitants",
        "Nièvre (58)",
        "Bourgogne-Franche-Comté",
        "CC Haut Nivernais - Val d&#x27;Yonne",
    ):
        assert text in response.text


def test_the_departement_page_lists_its_epci_including_straddling_ones(client, monde):
    response = client.get(monde.nievre.get_absolute_url())

    epcis = {epci.siren: epci.communes_count for epci in response.context["epcis"]}
    assert epcis == {"200067429": 2, "200067890": 1}
    assert {c.code for c in response.context["communes"]} == {"58079", "58013", "58062"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("clamecy", ["58079"]),
        ("CLAMÉCY", ["58079"]),
        ("chateau chinon", ["58062"]),
        ("58079", ["58079"]),
        ("58500", ["58079"]),
        ("07000", ["07186"]),
        ("580", ["58013", "58062", "58079"]),
        ("introuvable", []),
    ],
)
def test_search_by_name_insee_code_or_postal_code(client, monde, query, expected):
    response = client.get(reverse("communes:territoires"), {"q": query})

    assert [c.code for c in response.context["communes"]] == expected


def test_search_puts_exact_names_first(client, monde):
    CommuneFactory(code="58999", nom="Clamecy-le-Haut", departement=monde.nievre, population=9)
    CommuneFactory(code="21999", nom="Grand-Clamecy", departement=monde.cote_dor, population=99999)

    response = client.get(reverse("communes:territoires"), {"q": "clamecy"})

    assert [c.code for c in response.context["communes"]] == ["58079", "58999", "21999"]


def test_search_finds_departements_and_epci(client, monde):
    response = client.get(reverse("communes:territoires"), {"q": "nievre"})
    assert [d.code for d in response.context["departements"]] == ["58"]

    response = client.get(reverse("communes:territoires"), {"q": "haut nivernais"})
    assert [e.siren for e in response.context["epcis"]] == ["200067429"]


def test_an_htmx_search_returns_only_the_results(client, monde):
    response = client.get(
        reverse("communes:territoires"), {"q": "clamecy"}, headers={"HX-Request": "true"}
    )

    assert "<html" not in response.text
    assert "Clamecy" in response.text


# Query counts that do not grow with the number of communes ------------------------------------


def count_queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_departement_page_costs_the_same_with_1_or_40_communes(client):
    small, big = DepartementFactory(), DepartementFactory()
    CommuneFactory(departement=small, epci=EPCIFactory(), codes_postaux=["10000"])
    for n in range(40):
        CommuneFactory(departement=big, epci=EPCIFactory(), codes_postaux=[f"2{n:04d}", "30000"])

    assert count_queries(client, small.get_absolute_url()) == count_queries(
        client, big.get_absolute_url()
    )


@pytest.mark.django_db
def test_the_epci_page_costs_the_same_with_1_or_40_communes(client):
    small, big = EPCIFactory(), EPCIFactory()
    CommuneFactory(epci=small, codes_postaux=["10000"])
    for _ in range(40):
        CommuneFactory(epci=big, departement=DepartementFactory(), codes_postaux=["20000"])

    assert count_queries(client, small.get_absolute_url()) == count_queries(
        client, big.get_absolute_url()
    )


@pytest.mark.django_db
def test_the_region_page_costs_the_same_with_1_or_10_departements(client):
    small, big = RegionFactory(), RegionFactory()
    CommuneFactory(departement=DepartementFactory(region=small))
    for _ in range(10):
        CommuneFactory(departement=DepartementFactory(region=big))

    assert count_queries(client, small.get_absolute_url()) == count_queries(
        client, big.get_absolute_url()
    )


@pytest.mark.django_db
def test_the_search_and_the_territory_index_cost_the_same_with_more_results(client):
    CommuneFactory(nom="Villeneuve", epci=EPCIFactory(), codes_postaux=["10000"])
    few = count_queries(client, reverse("communes:territoires"), {"q": "villeneuve"})
    index_few = count_queries(client, reverse("communes:territoires"))
    for n in range(30):
        CommuneFactory(
            nom=f"Villeneuve {n}",
            departement=DepartementFactory(region=RegionFactory()),
            epci=EPCIFactory(),
            codes_postaux=["10000"],
        )

    assert count_queries(client, reverse("communes:territoires"), {"q": "villeneuve"}) == few
    assert count_queries(client, reverse("communes:territoires")) == index_few


def test_the_commune_page_costs_a_fixed_number_of_queries(
    client, monde, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        client.get(monde.clamecy.get_absolute_url())
