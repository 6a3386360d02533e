import csv
import io
from datetime import date

from django.urls import reverse

from conventions.services.conventions import create_convention_cadre, sign_convention
from tests.factories import UserFactory


def test_the_open_data_csv_has_exactly_the_published_columns(
    client, adhesion_signee, prefecture_58, pdf
):
    cadre = create_convention_cadre(
        by=prefecture_58,
        adhesion=adhesion_signee,
        communes=[adhesion_signee.communes.get(pk="58079")],
    )
    sign_convention(convention=cadre, by=prefecture_58, signee_le=date(2023, 3, 9), document=pdf())

    response = client.get(reverse("conventions:opendata_communes"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows == [
        [
            "insee_com",
            "lib_com",
            "insee_dep",
            "insee_reg",
            "siren_epci",
            "etape",
            "date_adhesion",
            "date_ort",
        ],
        ["58013", "Armes", "58", "27", "200067429", "adhesion_signee", "2021-06-21", ""],
        ["58079", "Clamecy", "58", "27", "200067429", "ort_signee", "2021-06-21", "2023-03-09"],
    ]


def test_the_open_data_holds_no_personal_data(client, adhesion_signee):
    UserFactory(email="maire@clamecy.fr", first_name="Claire", last_name="Dupont")

    content = client.get(reverse("conventions:opendata_communes")).content.decode()

    assert "@" not in content
    assert "Dupont" not in content


def test_the_open_data_page_states_the_licence(client, db):
    html = client.get(reverse("opendata")).text

    assert "Licence Ouverte 2.0" in html
    assert reverse("conventions:opendata_communes") in html


def test_the_public_list_filters_by_departement_and_stage(client, adhesion_signee, monde):
    url = reverse("conventions:public_list")

    everything = client.get(url)
    by_departement = client.get(url, {"departement": "07"})
    by_stage = client.get(url, {"etape": "adhesion_signee"})
    by_name = client.get(url, {"q": "clam"})

    assert [c.code for c in everything.context["communes"]] == ["58013", "58079"]
    assert list(by_departement.context["communes"]) == []
    assert by_stage.context["communes"].paginator.count == 2
    assert [c.code for c in by_name.context["communes"]] == ["58079"]


def test_a_communes_public_page_gives_its_stage_and_dates(client, adhesion_signee):
    response = client.get(reverse("conventions:public_detail", args=["58079"]))

    assert response.status_code == 200
    assert "signée le 21 juin 2021" in response.text
    assert "pref58" not in response.text


def test_a_commune_outside_the_programme_has_no_public_page(client, monde):
    assert client.get(reverse("conventions:public_detail", args=["07186"])).status_code == 404


def test_the_map_colours_departements_by_share_of_signed_adhesions(client, adhesion_signee):
    response = client.get(reverse("conventions:public_map"))

    assert response.status_code == 200
    lignes = {ligne["code"]: ligne for ligne in response.context["carte_lignes"]}
    assert lignes["58"]["valeur"] == 100.0
    assert lignes["07"]["valeur"] is None
    assert lignes["58"]["url"].endswith("?departement=58")
    assert 'data-code="58"' in response.text
