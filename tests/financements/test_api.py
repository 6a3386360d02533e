"""Pillar 2 in the API (`financements.api`): financing lines read through `for_user` and
filtered by official codes, written through the services with optimistic concurrency (ETag,
If-Match or `version`: 412, 428, 409), the decision and the payments, the actions, the
referentials; a partner's token writes its organisation's lines only, in its area only."""

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
from financements import services
from financements.models import Action, Financement, Mesure, SourceFinancement, Versement
from pvd.api import concurrence
from tests.factories import HabilitationFactory, UserFactory

LISTE = reverse("api:financement-list")
ACTIONS = reverse("api:action-list")


def detail(financement) -> str:
    return reverse("api:financement-detail", args=[financement.pk])


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def json(client, method: str, url: str, data: dict, **headers):
    return getattr(client, method)(
        url, data, content_type="application/json", headers=headers or None
    )


def token_client(user) -> Client:
    _, cle = create_token(by=user, libelle="SI du partenaire", duree=DureeJeton.UN_AN)
    return Client(headers={"Authorization": f"Token {cle}"})


# Reading ---------------------------------------------------------------------------


def test_a_line_shows_codes_amounts_and_payments(as_persona, pilier2):
    response = as_persona("prefecture_58").get(detail(pilier2.accorde))

    assert response.status_code == 200
    assert response["ETag"] == f'"{pilier2.accorde.version}"'
    body = response.json()
    assert body["communes"] == ["58079"]
    assert body["source"] == "detr"
    assert body["mesure"] is None
    assert body["action"] == pilier2.action.pk
    assert body["etat"] == "accorde"
    assert body["montant_demande"] == "200000.00"
    assert body["montant_accorde"] == "150000.00"
    assert body["reste_a_verser"] == "150000.00"
    assert body["versements"] == []
    assert body["version"] == pilier2.accorde.version


def test_the_list_is_the_perimeter_of_the_user(as_persona, pilier2):
    tous = {pilier2.demande.pk, pilier2.accorde.pk, pilier2.bdt.pk}
    assert set(ids(as_persona("prefecture_58").get(LISTE))) == tous

    client = as_persona("prefecture_07")
    assert ids(client.get(LISTE)) == []
    response = client.get(detail(pilier2.demande))
    assert response.status_code == 404
    assert response.json() == {
        "detail": "Aucune ligne de financement de votre périmètre n’a ce numéro."
    }


@pytest.mark.parametrize(
    ("params", "attendus"),
    [
        ({"departement": "58"}, {"demande", "accorde", "bdt"}),
        ({"departement": "07"}, set()),
        ({"region": "27"}, {"demande", "accorde", "bdt"}),
        ({"epci": "200067429"}, {"demande", "accorde", "bdt"}),
        ({"commune": "58013"}, {"bdt"}),
        ({"financeur": "bdt"}, {"bdt"}),
        ({"source": "detr"}, {"demande", "accorde"}),
        ({"etat": "accorde"}, {"accorde"}),
        ({"annee": "2022", "etat": "demande"}, {"demande", "bdt"}),
        ({"decide_depuis": "2022-03-01"}, {"accorde"}),
        ({"decide_jusqu_au": "2022-02-28"}, set()),
    ],
)
def test_the_filters_take_official_codes(as_persona, pilier2, params, attendus):
    response = as_persona("prefecture_58").get(LISTE, params)

    assert set(ids(response)) == {getattr(pilier2, name).pk for name in attendus}


def test_a_line_shared_by_two_communes_of_the_territory_is_listed_once(as_persona, pilier2):
    assert ids(as_persona("anct").get(LISTE, {"financeur": "bdt", "epci": "200067429"})) == [
        pilier2.bdt.pk
    ]


@pytest.mark.parametrize(
    "params", [{"departement": "99"}, {"etat": "paye"}, {"source": "inconnue"}, {"annee": "x"}]
)
def test_an_unreadable_filter_answers_400_in_french(as_persona, pilier2, params):
    response = as_persona("prefecture_58").get(LISTE, params)

    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"paramètre « {next(iter(params))} » :")


def test_the_list_takes_a_constant_number_of_queries(as_persona, pilier2, prefecture_58, monde):
    client = as_persona("prefecture_58")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LISTE).status_code == 200
        return len(queries)

    count()  # the first request fills the process's caches (content types…)
    few = count()
    for numero in range(18):
        ligne = services.create_financement(
            by=prefecture_58,
            communes=[monde.clamecy, monde.armes],
            objet=f"Ligne {numero}",
            annee=2023,
            montant_demande=Decimal("1000"),
            source=pilier2.detr,
        )
        services.accorder(
            by=prefecture_58,
            financement=ligne,
            montant_accorde=Decimal("500"),
            decide_le=date(2023, 1, 2),
        )
        services.record_versement(
            by=prefecture_58,
            financement=Financement.objects.get(pk=ligne.pk),
            verse_le=date(2023, 2, 1),
            montant=Decimal("100"),
        )
    assert Financement.objects.count() == 21
    assert count() == few


# Creation ---------------------------------------------------------------------------


def test_a_partner_records_a_line_of_its_organisation(as_persona, pilier2):
    response = json(
        as_persona("partenaire"),
        "post",
        LISTE,
        {
            "source": "bdt-manager-commerce",
            "communes": ["58013"],
            "objet": "Manager de commerce d’Armes",
            "annee": 2023,
            "montant_demande": "25000.50",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert response["ETag"] == '"1"'
    assert body["financeur"] == "bdt"
    assert body["etat"] == "demande"
    ligne = Financement.objects.get(pk=body["id"])
    assert ligne.montant_demande == Decimal("25000.50")
    assert [c.code for c in ligne.communes.all()] == ["58013"]
    assert ligne.created_by.email == "agent@banquedesterritoires.fr"


def test_a_partner_cannot_record_a_line_of_another_financeur(as_persona, pilier2):
    avant = Financement.objects.count()

    response = json(
        as_persona("partenaire"),
        "post",
        LISTE,
        {
            "source": "detr",
            "communes": ["58079"],
            "objet": "x",
            "annee": 2023,
            "montant_demande": 1,
        },
    )

    assert response.status_code == 403
    assert "Vous ne pouvez pas enregistrer de financement de" in response.json()["detail"]
    assert Financement.objects.count() == avant


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source": None}, "Choisissez une source de financement ou une mesure, et une seule."),
        ({"mesure": "manager-centre-ville"}, "et une seule"),
        (
            {"communes": ["99999"]},
            "champ « communes » : Aucune commune n’a le code INSEE « 99999 »",
        ),
        ({"communes": ["07186"]}, "Hors du programme Petites villes de demain : Privas (07186)."),
        ({"communes": []}, "Indiquez au moins une commune bénéficiaire."),
        ({"annee": 1999}, "champ « annee »"),
        ({"montant_demande": "-5"}, "champ « montant_demande »"),
        ({"montant_demande": "12.345"}, "champ « montant_demande »"),
        ({"source": "fermee"}, "Aucune source de financement ouverte n’a le code « fermee »."),
    ],
)
def test_a_refused_request_says_why_in_french_and_writes_nothing(
    as_persona, pilier2, changes, message
):
    avant = Financement.objects.count()
    data = {
        "source": "detr",
        "communes": ["58079"],
        "objet": "Voirie",
        "annee": 2023,
        "montant_demande": "1000",
        **changes,
    }

    response = json(as_persona("prefecture_58"), "post", LISTE, data)

    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert response.json()["detail"].endswith("Rien n’a été enregistré.")
    assert Financement.objects.count() == avant


def test_a_line_for_a_mesure(as_persona, pilier2):
    mesure = pilier2.mesure
    response = json(
        as_persona("prefecture_58"),
        "post",
        LISTE,
        {
            "mesure": mesure.code,
            "communes": ["58079"],
            "objet": "Manager",
            "annee": 2023,
            "montant_demande": 10,
        },
    )

    assert response.status_code == 201, response.content
    assert response.json()["financeur"] == mesure.partenaire.code


# Update and concurrency ---------------------------------------------------------------------------


def test_an_update_with_the_etag_read_is_saved_and_gives_the_next_one(as_persona, pilier2):
    client = as_persona("prefecture_58")
    etag = client.get(detail(pilier2.demande))["ETag"]

    response = json(
        client,
        "patch",
        detail(pilier2.demande),
        {"objet": "Halles : études de programmation", "communes": ["58079", "58013"]},
        **{"If-Match": etag},
    )

    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    assert set(response.json()["communes"]) == {"58013", "58079"}
    ligne = Financement.objects.get(pk=pilier2.demande.pk)
    assert ligne.objet == "Halles : études de programmation"
    assert ligne.version == 2


def test_the_version_may_come_in_the_body(as_persona, pilier2):
    response = json(
        as_persona("prefecture_58"),
        "patch",
        detail(pilier2.demande),
        {"montant_demande": "35000", "version": 1},
    )

    assert response.status_code == 200, response.content
    assert Financement.objects.get(pk=pilier2.demande.pk).montant_demande == Decimal("35000")


def test_a_stale_version_gets_412_and_nothing_is_written(as_persona, pilier2, prefecture_58):
    services.update_financement(by=prefecture_58, financement=pilier2.demande, objet="Autre")

    response = json(
        as_persona("prefecture_58"),
        "patch",
        detail(pilier2.demande),
        {"objet": "Écrasé ?"},
        **{"If-Match": '"1"'},
    )

    assert response.status_code == 412
    assert response["ETag"] == '"2"'
    assert "a changé depuis votre lecture" in response.json()["detail"]
    assert Financement.objects.get(pk=pilier2.demande.pk).objet == "Autre"


def test_an_update_without_version_gets_428(as_persona, pilier2):
    response = json(as_persona("prefecture_58"), "patch", detail(pilier2.demande), {"objet": "x"})

    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert Financement.objects.get(pk=pilier2.demande.pk).objet == "Halles : études"


def test_a_write_in_between_gets_409_and_nothing_is_written(
    as_persona, pilier2, prefecture_58, monkeypatch
):
    """Someone saves between the version check and the service's row lock."""
    check = concurrence.check_version

    def check_then_someone_saves(request, obj):
        version = check(request, obj)
        services.update_financement(by=prefecture_58, financement=obj, objet="Entre-temps")
        return version

    monkeypatch.setattr(concurrence, "check_version", check_then_someone_saves)

    response = json(
        as_persona("prefecture_58"),
        "patch",
        detail(pilier2.demande),
        {"objet": "Le mien"},
        **{"If-Match": '"1"'},
    )

    assert response.status_code == 409
    assert "a été modifié par" in response.json()["detail"]
    assert Financement.objects.get(pk=pilier2.demande.pk).objet == "Entre-temps"


def test_the_source_of_a_line_does_not_change(as_persona, pilier2):
    response = json(
        as_persona("prefecture_58"),
        "patch",
        detail(pilier2.demande),
        {"source": "bdt-manager-commerce"},
        **{"If-Match": '"1"'},
    )

    assert response.status_code == 400
    assert "ne change pas" in response.json()["detail"]


def test_a_decided_line_no_longer_changes(as_persona, pilier2):
    response = json(
        as_persona("prefecture_58"),
        "patch",
        detail(pilier2.accorde),
        {"objet": "x"},
        **{"If-Match": f'"{pilier2.accorde.version}"'},
    )

    assert response.status_code == 400
    assert "Ce financement est décidé" in response.json()["detail"]


# Decision and payments ---------------------------------------------------------------------------


def test_grant_then_pay_in_two_times(as_persona, pilier2):
    client = as_persona("prefecture_58")
    url = reverse("api:financement-accorder", args=[pilier2.demande.pk])

    response = json(client, "post", url, {"montant_accorde": "20000", "decide_le": "2022-05-02"})

    assert response.status_code == 200, response.content
    assert response.json()["etat"] == "accorde"
    assert response["ETag"] == '"2"'
    versements = reverse("api:financement-versements", args=[pilier2.demande.pk])
    response = json(client, "post", versements, {"verse_le": "2022-06-01", "montant": "5000"})
    assert response.status_code == 201, response.content
    assert response.json()["reste_a_verser"] == "15000.00"
    response = json(client, "post", versements, {"verse_le": "2022-07-01", "montant": "15000"})
    assert response.json()["etat"] == "verse"
    assert [v["montant"] for v in response.json()["versements"]] == ["5000.00", "15000.00"]


def test_paying_more_than_granted_gets_400_and_writes_nothing(as_persona, pilier2):
    url = reverse("api:financement-versements", args=[pilier2.accorde.pk])

    response = json(
        as_persona("prefecture_58"), "post", url, {"verse_le": "2022-06-01", "montant": "150000.01"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Ce versement (150\u00a0000,01\u00a0€) dépasse ce qui reste à verser "
        "(150\u00a0000\u00a0€)."
    }
    assert not Versement.objects.exists()
    assert Financement.objects.get(pk=pilier2.accorde.pk).montant_verse == 0


def test_granting_more_than_requested_gets_400(as_persona, pilier2):
    url = reverse("api:financement-accorder", args=[pilier2.demande.pk])

    response = json(
        as_persona("prefecture_58"),
        "post",
        url,
        {"montant_accorde": "30001", "decide_le": "2022-05-02"},
    )

    assert response.status_code == 400
    assert "dépasse le montant demandé" in response.json()["detail"]
    assert Financement.objects.get(pk=pilier2.demande.pk).etat == "demande"


def test_refusing_twice_gets_400(as_persona, pilier2):
    client = as_persona("prefecture_58")
    url = reverse("api:financement-refuser", args=[pilier2.demande.pk])

    assert json(client, "post", url, {"decide_le": "2022-05-02"}).status_code == 200
    response = json(client, "post", url, {"decide_le": "2022-05-03"})

    assert response.status_code == 400
    assert "l’état actuel est « Refusé »" in response.json()["detail"]


def test_a_decision_with_a_stale_version_gets_412(as_persona, pilier2):
    url = reverse("api:financement-refuser", args=[pilier2.demande.pk])

    response = json(
        as_persona("prefecture_58"), "post", url, {"decide_le": "2022-05-02"}, **{"If-Match": '"7"'}
    )

    assert response.status_code == 412
    assert Financement.objects.get(pk=pilier2.demande.pk).etat == "demande"


# A partner's token ---------------------------------------------------------------------------


def test_a_partners_token_writes_its_own_lines_only(pilier2, partenaire):
    client = token_client(partenaire)

    refused = json(client, "patch", detail(pilier2.demande), {"objet": "x"}, **{"If-Match": '"1"'})
    accepted = json(
        client, "patch", detail(pilier2.bdt), {"objet": "Manager"}, **{"If-Match": '"1"'}
    )

    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Cette ligne est celle de État")
    assert Financement.objects.get(pk=pilier2.demande.pk).objet == "Halles : études"
    assert accepted.status_code == 200, accepted.content
    assert Financement.objects.get(pk=pilier2.bdt.pk).objet == "Manager"
    accorder = reverse("api:financement-accorder", args=[pilier2.demande.pk])
    assert (
        json(
            client, "post", accorder, {"montant_accorde": 1, "decide_le": "2022-05-02"}
        ).status_code
        == 403
    )


def test_a_partners_token_reads_nothing_outside_its_area(pilier2, monde):
    """A Banque des Territoires agent of the Ardèche: the Nièvre's lines are not there."""
    agent = UserFactory(email="agent07@banquedesterritoires.fr")
    HabilitationFactory(
        user=agent,
        role=Role.PARTENAIRE,
        organisation=monde.banque_des_territoires,
        departement=monde.ardeche,
    )
    client = token_client(User.objects.get(pk=agent.pk))

    assert ids(client.get(LISTE)) == []
    assert client.get(detail(pilier2.bdt)).status_code == 404
    response = json(client, "patch", detail(pilier2.bdt), {"objet": "x"}, **{"If-Match": '"1"'})
    assert response.status_code == 404
    response = json(
        client,
        "post",
        LISTE,
        {
            "source": "bdt-manager-commerce",
            "communes": ["58079"],
            "objet": "x",
            "annee": 2023,
            "montant_demande": 1,
        },
    )
    assert response.status_code == 403
    assert Financement.objects.get(pk=pilier2.bdt.pk).objet == "Manager de centre-ville"


# Actions ---------------------------------------------------------------------------


def test_a_commune_declares_an_action_and_edits_it(as_persona, pilier2):
    client = as_persona("commune_clamecy")

    response = json(
        client,
        "post",
        ACTIONS,
        {
            "titre": "Maison de santé",
            "communes": ["58079"],
            "orientation": "commerce",
            "type": "equipement_medico_social",
            "etat": "envisagee",
            "budget": "800000",
        },
    )

    assert response.status_code == 201, response.content
    action = Action.objects.get(pk=response.json()["id"])
    url = reverse("api:action-detail", args=[action.pk])
    response = json(client, "patch", url, {"etat": "pre_operationnelle", "version": 1})
    assert response.status_code == 200, response.content
    assert Action.objects.get(pk=action.pk).etat == "pre_operationnelle"


def test_the_type_of_a_funded_action_does_not_change(as_persona, pilier2):
    url = reverse("api:action-detail", args=[pilier2.action.pk])

    response = json(
        as_persona("prefecture_58"), "patch", url, {"type": "patrimoine"}, **{"If-Match": '"1"'}
    )

    assert response.status_code == 400
    assert "Le type de cette action ne peut plus changer" in response.json()["detail"]
    assert Action.objects.get(pk=pilier2.action.pk).type == "commerce"


def test_actions_filtered_by_territory_and_type(as_persona, pilier2):
    client = as_persona("anct")

    assert ids(client.get(ACTIONS, {"commune": "58079", "type": "commerce"})) == [pilier2.action.pk]
    assert ids(client.get(ACTIONS, {"departement": "07"})) == []
    assert ids(client.get(ACTIONS, {"orientation": "habitat"})) == []


# Referentials ---------------------------------------------------------------------------


def test_the_catalogue_by_code(as_persona, pilier2):
    client = as_persona("commune_clamecy")

    mesure = client.get(reverse("api:mesure-detail", args=["manager-centre-ville"])).json()
    source = client.get(reverse("api:source-detail", args=["detr"])).json()
    bdt = client.get(reverse("api:organisation-detail", args=["bdt"])).json()

    assert mesure["partenaire"] == "bdt"
    assert source["code"] == "detr"
    assert bdt == {
        "code": "bdt",
        "nom": bdt["nom"],
        "sigle": bdt["sigle"],
        "categorie": "financeur_public",
        "region": None,
        "departement": None,
    }
    response = client.get(reverse("api:organisation-list"), {"categorie": "financeur_public"})
    assert "bdt" in [o["code"] for o in response.json()["results"]]


def test_a_closed_mesure_is_read_by_the_anct_only(as_persona, pilier2):
    Mesure.objects.filter(code="manager-centre-ville").update(active=False)
    url = reverse("api:mesure-detail", args=["manager-centre-ville"])

    assert as_persona("commune_clamecy").get(url).status_code == 404


def test_the_anct_reads_a_closed_mesure(as_persona, pilier2):
    Mesure.objects.filter(code="manager-centre-ville").update(active=False)
    url = reverse("api:mesure-detail", args=["manager-centre-ville"])
    client = as_persona("anct")

    assert client.get(url).json()["active"] is False
    codes = [
        m["code"]
        for m in client.get(reverse("api:mesure-list"), {"active": "false"}).json()["results"]
    ]
    assert codes == ["manager-centre-ville"]


def test_labels_of_the_perimeter(as_persona, pilier2):
    url = reverse("api:label-list")

    body = as_persona("prefecture_58").get(url, {"actif_le": "2022-01-01"}).json()
    assert [(row["commune"], row["type"]) for row in body["results"]] == [
        ("58079", "france_services")
    ]
    assert as_persona("prefecture_58").get(url, {"actif_le": "2020-01-01"}).json()["count"] == 0
    assert as_persona("prefecture_07").get(url).json()["count"] == 0


def test_the_anct_adds_to_the_catalogue(as_persona, pilier2):
    client = as_persona("anct")
    mesure = {
        "code": "fonds-commerce",
        "titre": "Fonds commerce",
        "partenaire": "bdt",
        "pilier": "mesures",
        "orientation": "commerce",
        "description": "Une aide au commerce.",
    }

    response = json(client, "post", reverse("api:mesure-list"), mesure)

    assert response.status_code == 201, response.content
    assert Mesure.objects.get(code="fonds-commerce").partenaire.code == "bdt"
    again = json(client, "post", reverse("api:mesure-list"), mesure)
    assert again.status_code == 400
    assert "champ « code »" in again.json()["detail"]
    both = json(
        client,
        "post",
        reverse("api:source-list"),
        {
            "code": "fonds-mixte",
            "nom": "Fonds mixte",
            "categorie": "region",
            "financeur": "bdt",
            "region": "27",
            "departement": "58",
        },
    )
    assert both.status_code == 400
    assert "pas des deux" in both.json()["detail"]
    assert not SourceFinancement.objects.filter(code="fonds-mixte").exists()
