"""Pillar 1 in the API (`ingenierie.api`): chefs de projet and their co-financing (the 75 % cap,
the Anah's OPAH-RU), their life, their VTA, the soutiens en ingénierie (euros or days), the
besoins; optimistic concurrency on updates; a partner's token writes its organisation's
soutiens only, in its area only."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communes.enums import Role
from communes.models import DureeJeton, User
from communes.services import create_token
from ingenierie import services
from ingenierie.models import BesoinsExprimes, PosteChefDeProjet, PosteVTA, SoutienIngenierie
from pvd.api import concurrence
from tests.factories import HabilitationFactory, UserFactory

POSTES = reverse("api:poste-list")
SOUTIENS = reverse("api:soutien-list")
BESOINS = reverse("api:besoins-list")
VTA = reverse("api:vta-list")


def poste_url(poste, action: str = "detail") -> str:
    return reverse(f"api:poste-{action}", args=[poste.pk])


def soutien_url(soutien) -> str:
    return reverse("api:soutien-detail", args=[soutien.pk])


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def json(client, method: str, url: str, data: dict, **headers):
    return getattr(client, method)(
        url, data, content_type="application/json", headers=headers or None
    )


def token_client(user) -> Client:
    _, cle = create_token(by=user, libelle="SI", duree=DureeJeton.UN_AN)
    return Client(headers={"Authorization": f"Token {cle}"})


NOUVEAU_POSTE = {
    "communes": ["58079"],
    "employeur_commune": "58079",
    "cout_annuel": "60000",
    "subvention_anct": "24000",
    "subvention_bdt": "12000",
}


# Chefs de projet ---------------------------------------------------------------------------


def test_a_post_shows_its_co_financing(as_persona, poste):
    response = as_persona("region_27").get(poste_url(poste))

    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    body = response.json()
    assert body["communes"] == ["58079"]
    assert body["employeur_commune"] == "58079"
    assert body["employeur_epci"] is None
    assert body["etat"] == "a_recruter"
    assert (body["subvention_anct"], body["subvention_bdt"]) == ("24000.00", "12000.00")
    assert body["subvention_totale"] == "36000.00"
    assert body["taux_subvention"] == 60.0


def test_the_prefecture_creates_a_post(as_persona, adhesion_signee):
    response = json(as_persona("prefecture_58"), "post", POSTES, NOUVEAU_POSTE)

    assert response.status_code == 201, response.content
    assert response["ETag"] == '"1"'
    poste = PosteChefDeProjet.objects.get(pk=response.json()["id"])
    assert poste.subvention_totale == Decimal("36000")
    assert poste.employeur_commune.code == "58079"


def test_more_than_75_percent_gets_400_and_nothing_is_written(as_persona, adhesion_signee):
    response = json(
        as_persona("prefecture_58"),
        "post",
        POSTES,
        {**NOUVEAU_POSTE, "subvention_etat": "9000.01"},
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith(
        "La subvention totale (45\u00a0000,01\u00a0€ par an) dépasse 75 % du coût annuel"
    )
    assert not PosteChefDeProjet.objects.exists()


def test_the_anah_needs_an_opah_ru(as_persona, adhesion_signee, opah_ru):
    client = as_persona("prefecture_58")

    refused = json(client, "post", POSTES, {**NOUVEAU_POSTE, "subvention_anah": "5000"})
    accepted = json(
        client, "post", POSTES, {**NOUVEAU_POSTE, "subvention_anah": "5000", "opah_ru": opah_ru.pk}
    )

    assert refused.status_code == 400
    assert "L’Anah ne cofinance le poste que si" in refused.json()["detail"]
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["opah_ru"] == opah_ru.pk
    assert PosteChefDeProjet.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"communes": ["07186"]}, "Hors du programme Petites villes de demain : Privas (07186)."),
        ({"employeur_commune": None}, "Indiquez l’employeur du chef de projet"),
        ({"employeur_epci": "200067429"}, "Indiquez l’employeur du chef de projet"),
        ({"titulaire_nom": "Mme Durand"}, "en le pourvoyant"),
        ({"cout_annuel": "abc"}, "champ « cout_annuel »"),
        ({"adhesion": 999999}, "Aucun objet visible n’a le numéro 999999."),
    ],
)
def test_a_refused_post_says_why(as_persona, adhesion_signee, changes, message):
    response = json(as_persona("prefecture_58"), "post", POSTES, {**NOUVEAU_POSTE, **changes})

    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not PosteChefDeProjet.objects.exists()


def test_an_update_keeps_the_cap(as_persona, poste):
    client = as_persona("prefecture_58")

    refused = json(
        client, "patch", poste_url(poste), {"cout_annuel": "40000"}, **{"If-Match": '"1"'}
    )
    accepted = json(
        client, "patch", poste_url(poste), {"cout_annuel": "48000"}, **{"If-Match": '"1"'}
    )

    assert refused.status_code == 400
    assert "plafonnée à 30\u00a0000\u00a0€" in refused.json()["detail"]
    assert accepted.status_code == 200, accepted.content
    assert accepted["ETag"] == '"2"'
    assert accepted.json()["taux_subvention"] == 75.0


def test_update_concurrency(as_persona, poste, prefecture_58, monkeypatch):
    client = as_persona("prefecture_58")

    assert json(client, "patch", poste_url(poste), {"cout_annuel": "70000"}).status_code == 428
    services.update_poste(by=prefecture_58, poste=poste, cout_annuel=Decimal("65000"))
    stale = json(client, "patch", poste_url(poste), {"cout_annuel": "70000", "version": 1})
    assert stale.status_code == 412
    assert stale["ETag"] == '"2"'

    check = concurrence.check_version

    def check_then_someone_saves(request, obj):
        version = check(request, obj)
        services.update_poste(by=prefecture_58, poste=obj, cout_annuel=Decimal("66000"))
        return version

    monkeypatch.setattr(concurrence, "check_version", check_then_someone_saves)
    raced = json(client, "patch", poste_url(poste), {"cout_annuel": "70000"}, **{"If-Match": '"2"'})
    assert raced.status_code == 409
    assert PosteChefDeProjet.objects.get(pk=poste.pk).cout_annuel == Decimal("66000")


def test_the_life_of_a_post(as_persona, poste):
    client = as_persona("prefecture_58")

    assert json(client, "post", poste_url(poste, "recruter"), {}).json()["etat"] == "en_recrutement"
    response = json(
        client,
        "post",
        poste_url(poste, "pourvoir"),
        {"titulaire_nom": "Mme Durand", "debut": "2022-09-01"},
    )
    assert response.status_code == 200, response.content
    assert (response.json()["etat"], response.json()["titulaire_nom"]) == ("occupe", "Mme Durand")
    early = json(client, "post", poste_url(poste, "liberer"), {"fin": "2022-08-01"})
    assert early.status_code == 400
    assert early.json()["detail"] == "La fin de poste ne peut pas précéder la prise de poste."
    response = json(client, "post", poste_url(poste, "liberer"), {"fin": "2023-08-31"})
    assert response.json()["etat"] == "vacant"
    again = json(client, "post", poste_url(poste, "liberer"), {"fin": "2023-09-30"})
    assert again.status_code == 400
    assert "l’état actuel est « Vacant »" in again.json()["detail"]


def test_posts_filtered_by_territory_and_state(as_persona, poste):
    client = as_persona("anct")

    assert ids(client.get(POSTES, {"departement": "58", "etat": "a_recruter"})) == [poste.pk]
    assert ids(client.get(POSTES, {"commune": "58013"})) == []
    assert ids(client.get(POSTES, {"etat": "occupe"})) == []
    assert client.get(POSTES, {"region": "99"}).status_code == 400


def test_the_list_of_posts_takes_a_constant_number_of_queries(
    as_persona, poste, prefecture_58, monde
):
    client = as_persona("prefecture_58")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(POSTES).status_code == 200
        return len(queries)

    services.create_vta(by=prefecture_58, poste=poste, titulaire_nom="V", debut=date(2022, 1, 3))
    count()  # the first request fills the process's caches (content types…)
    few = count()
    for _ in range(19):
        autre = services.create_poste(
            by=prefecture_58,
            communes=[monde.armes],
            cout_annuel=Decimal("50000"),
            employeur_epci=monde.haut_nivernais,
        )
        services.create_vta(
            by=prefecture_58, poste=autre, titulaire_nom="V", debut=date(2022, 1, 3)
        )
    assert count() == few


# VTA ----------------------------------------------------------------------------------------


def test_a_vta_supports_a_post(as_persona, poste):
    client = as_persona("prefecture_58")

    response = json(
        client,
        "post",
        VTA,
        {"poste": poste.pk, "titulaire_nom": "M. Martin", "debut": "2022-10-01"},
    )

    assert response.status_code == 201, response.content
    assert PosteVTA.objects.get().poste == poste
    assert client.get(poste_url(poste)).json()["vtas"][0]["titulaire_nom"] == "M. Martin"
    assert ids(as_persona("prefecture_07").get(VTA)) == []
    inverse = json(
        client,
        "post",
        VTA,
        {"poste": poste.pk, "titulaire_nom": "X", "debut": "2022-10-01", "fin": "2022-09-01"},
    )
    assert inverse.status_code == 400
    assert PosteVTA.objects.count() == 1


# Soutiens -------------------------------------------------------------------------------------


def test_soutiens_in_euros_or_days(as_persona, soutien_cerema, soutien_bdt):
    body = as_persona("commune_clamecy").get(SOUTIENS).json()

    rows = {row["organisation"]: row for row in body["results"]}
    assert (rows["cerema"]["nombre_jours"], rows["cerema"]["montant_euros"]) == ("20.0", None)
    assert (rows["bdt"]["montant_euros"], rows["bdt"]["nombre_jours"]) == ("30000.00", None)


def test_a_partner_records_and_edits_its_soutien(as_persona, partenaire, adhesion_signee):
    client = as_persona("partenaire")

    response = json(
        client,
        "post",
        SOUTIENS,
        {
            "organisation": "bdt",
            "communes": ["58079"],
            "nature": "amo",
            "objet": "AMO commerce",
            "montant_euros": "15000",
        },
    )

    assert response.status_code == 201, response.content
    soutien = SoutienIngenierie.objects.get(pk=response.json()["id"])
    response = json(
        client,
        "patch",
        soutien_url(soutien),
        {"montant_euros": None, "nombre_jours": "12.5"},
        **{"If-Match": '"1"'},
    )
    assert response.status_code == 200, response.content
    soutien.refresh_from_db()
    assert (soutien.montant_euros, soutien.nombre_jours) == (None, Decimal("12.5"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"montant_euros": "1000", "nombre_jours": "3"}, "l’un ou l’autre"),
        ({}, "l’un ou l’autre"),
        ({"organisation": "cerema", "nombre_jours": "3"}, "Vous ne pouvez pas enregistrer"),
    ],
)
def test_a_refused_soutien(as_persona, partenaire, adhesion_signee, data, message):
    response = json(
        as_persona("partenaire"),
        "post",
        SOUTIENS,
        {"organisation": "bdt", "communes": ["58079"], "nature": "amo", "objet": "x", **data},
    )

    assert response.status_code in (400, 403)
    assert message in response.json()["detail"]
    assert not SoutienIngenierie.objects.exists()


def test_a_partners_token_cannot_edit_another_partners_soutien(
    soutien_cerema, soutien_bdt, partenaire
):
    client = token_client(partenaire)

    refused = json(
        client, "patch", soutien_url(soutien_cerema), {"objet": "x"}, **{"If-Match": '"1"'}
    )
    accepted = json(
        client, "patch", soutien_url(soutien_bdt), {"etat": "en_cours"}, **{"If-Match": '"1"'}
    )

    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Ce soutien est celui de Cerema")
    assert SoutienIngenierie.objects.get(pk=soutien_cerema.pk).objet == "Diagnostic des mobilités"
    assert accepted.status_code == 200
    assert SoutienIngenierie.objects.get(pk=soutien_bdt.pk).etat == "en_cours"


def test_a_partners_token_reads_no_soutien_outside_its_area(soutien_bdt, monde):
    agent = UserFactory(email="agent07@banquedesterritoires.fr")
    HabilitationFactory(
        user=agent,
        role=Role.PARTENAIRE,
        organisation=monde.banque_des_territoires,
        departement=monde.ardeche,
    )
    client = token_client(User.objects.get(pk=agent.pk))

    assert ids(client.get(SOUTIENS)) == []
    assert client.get(soutien_url(soutien_bdt)).status_code == 404
    assert ids(client.get(POSTES)) == []
    response = json(
        client,
        "post",
        SOUTIENS,
        {
            "organisation": "bdt",
            "communes": ["58079"],
            "nature": "amo",
            "objet": "x",
            "montant_euros": "1",
        },
    )
    assert response.status_code == 403
    assert SoutienIngenierie.objects.count() == 1


def test_the_list_of_soutiens_takes_a_constant_number_of_queries(
    as_persona, soutien_bdt, organisations, prefecture_58, monde
):
    client = as_persona("prefecture_58")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(SOUTIENS).status_code == 200
        return len(queries)

    count()
    few = count()
    for numero in range(19):
        services.create_soutien(
            by=prefecture_58,
            organisation=organisations["cerema"],
            communes=[monde.clamecy, monde.armes],
            nature="diagnostic",
            objet=f"Diagnostic {numero}",
            nombre_jours=Decimal("2"),
        )
    assert SoutienIngenierie.objects.count() == 20
    assert count() == few


def test_soutiens_filtered(as_persona, soutien_cerema, soutien_bdt):
    client = as_persona("prefecture_58")

    assert ids(client.get(SOUTIENS, {"organisation": "cerema"})) == [soutien_cerema.pk]
    assert ids(client.get(SOUTIENS, {"debut_depuis": "2022-02-01"})) == [soutien_cerema.pk]
    assert ids(client.get(SOUTIENS, {"nature": "etude", "commune": "58079"})) == [soutien_bdt.pk]
    assert ids(client.get(SOUTIENS, {"departement": "07"})) == []


# Besoins ---------------------------------------------------------------------------------------


def test_a_commune_declares_then_corrects_its_besoins(as_persona, adhesion_signee):
    client = as_persona("commune_clamecy")

    response = json(
        client,
        "post",
        BESOINS,
        {"commune": "58079", "chef_de_projet": True, "etudes": False, "investissements": True},
    )

    assert response.status_code == 201, response.content
    assert response.json()["adhesion"] == adhesion_signee.pk
    url = reverse("api:besoins-detail", args=["58079"])
    again = json(client, "post", BESOINS, {"commune": "58079", "etudes": True})
    assert again.status_code == 409
    response = json(client, "patch", url, {"etudes": True}, **{"If-Match": '"1"'})
    assert response.status_code == 200, response.content
    besoins = BesoinsExprimes.objects.get()
    assert (besoins.chef_de_projet, besoins.etudes, besoins.investissements) == (True, True, True)
    assert json(client, "patch", url, {"etudes": False}, **{"If-Match": '"1"'}).status_code == 412
    assert as_persona("prefecture_07").get(url).status_code == 404


def test_a_commune_cannot_declare_the_besoins_of_another(as_persona, adhesion_signee):
    response = json(as_persona("commune_clamecy"), "post", BESOINS, {"commune": "58013"})

    assert response.status_code == 404
    assert not BesoinsExprimes.objects.exists()
