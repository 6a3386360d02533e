"""Actions, labels and the catalogue through their pages."""

from datetime import date

from django.urls import reverse

from financements.models import Action, Label, Mesure, SourceFinancement


def test_commune_declares_an_action_of_its_own(client, pilier2, commune_clamecy, monde):
    client.force_login(commune_clamecy)
    form = client.get(reverse("financements:action_create")).context["form"]

    assert set(form.fields["communes"].queryset) == {monde.clamecy}
    response = client.post(
        reverse("financements:action_create"),
        {
            "titre": "Tiers-lieu de la gare",
            "communes": [monde.clamecy.pk],
            "orientation": "commerce",
            "type": "tiers_lieu",
            "etat": "envisagee",
            "budget": "120000",
        },
    )

    action = Action.objects.get(titre="Tiers-lieu de la gare")
    assert response["Location"] == action.get_absolute_url()
    assert list(action.communes.all()) == [monde.clamecy]


def test_action_detail_lists_its_lines_with_totals(client, pilier2, prefecture_58):
    client.force_login(prefecture_58)

    response = client.get(pilier2.action.get_absolute_url())

    assert list(response.context["financements"]) == [pilier2.accorde]
    assert response.context["totaux"]["accorde"] == 150000


def test_action_type_cannot_change_once_funded(client, pilier2, prefecture_58, monde):
    client.force_login(prefecture_58)
    action = pilier2.action

    response = client.post(
        reverse("financements:action_update", args=[action.pk]),
        {
            "titre": action.titre,
            "communes": [monde.clamecy.pk],
            "orientation": "commerce",
            "type": "patrimoine",
            "etat": action.etat,
            "version": action.version,
        },
    )

    assert response.status_code == 200
    assert "ne peut plus changer" in str(response.context["form"].non_field_errors())
    action.refresh_from_db()
    assert action.type == "commerce"


def test_action_list_filters(client, pilier2, prefecture_58):
    client.force_login(prefecture_58)
    url = reverse("financements:action_list")

    assert list(client.get(url, {"type": "commerce"}).context["actions"]) == [pilier2.action]
    assert list(client.get(url, {"etat": "realisee"}).context["actions"]) == []


def test_labels_active_on_a_day(client, pilier2, prefecture_58, monde):
    client.force_login(prefecture_58)
    Label.objects.create(
        commune=monde.armes, type="micro_folie", debut=date(2019, 1, 1), fin=date(2020, 12, 31)
    )
    url = reverse("financements:label_list")

    def listed(**params):
        return {label.commune.nom for label in client.get(url, params).context["labels"]}

    assert listed(actif_le="2020-06-01") == {"Armes"}
    assert listed(actif_le="2022-06-01") == {"Clamecy"}
    assert listed(type="micro_folie") == {"Armes"}


def test_prefecture_ends_a_label(client, pilier2, prefecture_58):
    client.force_login(prefecture_58)

    client.post(reverse("financements:label_end", args=[pilier2.label.pk]), {"fin": "2023-01-31"})

    pilier2.label.refresh_from_db()
    assert pilier2.label.fin == date(2023, 1, 31)


def test_a_label_cannot_end_before_it_began(client, pilier2, prefecture_58):
    client.force_login(prefecture_58)

    response = client.post(
        reverse("financements:label_end", args=[pilier2.label.pk]),
        {"fin": "2020-01-01"},
        follow=True,
    )

    assert "ne peut pas précéder son début" in response.content.decode()
    pilier2.label.refresh_from_db()
    assert pilier2.label.fin is None


def test_key_mesures_come_first(client, pilier2, commune_clamecy):
    client.force_login(commune_clamecy)
    Mesure.objects.filter(code="denormandie").update(cle=False)

    mesures = list(client.get(reverse("financements:mesure_list")).context["mesures"])

    assert [m.cle for m in mesures] == sorted((m.cle for m in mesures), reverse=True)
    assert mesures[-1].code == "denormandie"


def test_anct_edits_the_catalogue(client, pilier2, anct):
    client.force_login(anct)
    mesure = pilier2.mesure

    response = client.post(
        reverse("financements:mesure_update", args=[mesure.code]),
        {
            "code": mesure.code,
            "titre": "Manager de centre-ville",
            "partenaire": mesure.partenaire_id,
            "pilier": mesure.pilier,
            "orientation": "commerce",
            "description": mesure.description,
            "cle": "on",
            "active": "on",
        },
    )

    assert response.status_code == 302
    mesure.refresh_from_db()
    assert mesure.titre == "Manager de centre-ville"
    assert mesure.history.first().history_user == anct
    response = client.post(
        reverse("financements:source_create"),
        {
            "code": "detr",
            "nom": "Doublon",
            "categorie": "dotation",
            "financeur": pilier2.detr.financeur_id,
        },
    )
    assert "déjà pris" in str(response.context["form"].errors["code"])
    assert SourceFinancement.objects.filter(code="detr").count() == 1
