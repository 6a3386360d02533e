"""Chefs de projet through the pages: the co-financing rules cannot be broken, concurrent
edits are refused, the post lives through its transitions, VTA are recorded."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ingenierie.enums import EtatPoste
from ingenierie.models import PosteChefDeProjet, PosteVTA


def _poste_data(monde, **overrides) -> dict:
    return {
        "communes": [monde.clamecy.pk],
        "employeur_commune": monde.clamecy.pk,
        "cout_annuel": "50000",
        "subvention_anct": "20000",
        "subvention_bdt": "10000",
        "subvention_etat": "",
        "subvention_anah": "",
        **overrides,
    }


@pytest.fixture
def pref58(client, prefecture_58, adhesion_signee):
    client.force_login(prefecture_58)
    return client


def test_the_prefecture_records_a_post(pref58, monde):
    response = pref58.post(reverse("ingenierie:poste_create"), _poste_data(monde))

    poste = PosteChefDeProjet.objects.get()
    assert response.status_code == 302
    assert response["Location"] == poste.get_absolute_url()
    assert poste.etat == EtatPoste.A_RECRUTER
    assert poste.subvention_totale == Decimal("30000")
    assert list(poste.communes.all()) == [monde.clamecy]


def test_the_detail_shows_the_shares_and_the_rate(pref58, monde):
    pref58.post(reverse("ingenierie:poste_create"), _poste_data(monde))
    poste = PosteChefDeProjet.objects.get()

    html = pref58.get(poste.get_absolute_url()).text

    for text in (
        "50\xa0000\xa0€",
        "20\xa0000\xa0€",
        "40\xa0%",
        "30\xa0000\xa0€",
        "60\xa0%",
        "Banque des",
    ):
        assert text in html, text
    assert "Commune de Clamecy" in html


def test_the_75_percent_cap_cannot_be_broken_through_the_form(pref58, monde):
    # 40 000 € of 50 000 €: 80 %.
    response = pref58.post(
        reverse("ingenierie:poste_create"), _poste_data(monde, subvention_bdt="20000")
    )

    assert response.status_code == 200
    assert "dépasse 75 % du coût annuel du poste" in response.text
    assert "plafonnée à 37\xa0500\xa0€" in response.text
    assert not PosteChefDeProjet.objects.exists()


def test_the_cap_cannot_be_broken_by_an_edit_either(pref58, poste):
    url = reverse("ingenierie:poste_update", args=[poste.pk])
    data = {
        "version": poste.version,
        "communes": ["58079"],
        "employeur_commune": "58079",
        "cout_annuel": "60000",
        "subvention_anct": "24000",
        "subvention_bdt": "24000",
    }

    response = pref58.post(url, data)

    poste.refresh_from_db()
    assert response.status_code == 200
    assert "dépasse 75 %" in response.text
    assert poste.subvention_bdt == Decimal("12000")
    assert poste.version == 1


def test_anah_without_an_opah_ru_is_refused(pref58, monde):
    response = pref58.post(
        reverse("ingenierie:poste_create"), _poste_data(monde, subvention_anah="5000")
    )

    assert response.status_code == 200
    assert "L’Anah ne cofinance le poste que si le territoire mène une OPAH-RU" in response.text
    assert not PosteChefDeProjet.objects.exists()


def test_anah_with_the_communes_opah_ru_is_accepted_and_shown(pref58, monde, opah_ru):
    response = pref58.post(
        reverse("ingenierie:poste_create"),
        _poste_data(monde, subvention_anah="5000", opah_ru=opah_ru.pk),
    )

    poste = PosteChefDeProjet.objects.get()
    assert response.status_code == 302
    assert poste.opah_ru == opah_ru
    assert "OPAH-RU du centre ancien" in pref58.get(poste.get_absolute_url()).text


def test_an_opah_ru_still_envisaged_does_not_open_the_anahs_share(pref58, monde, opah_ru):
    opah_ru.etat = "envisagee"
    opah_ru.save()

    response = pref58.post(
        reverse("ingenierie:poste_create"),
        _poste_data(monde, subvention_anah="5000", opah_ru=opah_ru.pk),
    )

    assert response.status_code == 200
    assert "OPAH-RU en phase pré-opérationnelle ou opérationnelle" in response.text
    assert not PosteChefDeProjet.objects.exists()


def test_the_form_offers_only_the_prefectures_communes(client, prefecture_07, adhesion_signee):
    client.force_login(prefecture_07)

    form = client.get(reverse("ingenierie:poste_create")).context["form"]

    assert not form.fields["communes"].queryset.filter(pk="58079").exists()


def test_a_stale_edit_answers_409_and_keeps_what_was_typed(pref58, poste, prefecture_58):
    from ingenierie.services import update_poste

    url = reverse("ingenierie:poste_update", args=[poste.pk])
    opened = pref58.get(url).context["form"]["version"].value()
    update_poste(by=prefecture_58, poste=poste, cout_annuel=Decimal("65000"))

    response = pref58.post(
        url,
        {
            "version": opened,
            "communes": ["58079"],
            "employeur_commune": "58079",
            "cout_annuel": "70000",
            "subvention_anct": "24000",
        },
    )

    poste.refresh_from_db()
    assert response.status_code == 409
    html = response.text
    assert f"modifié par {prefecture_58}" in html
    # What changed in between, from the history: the cost, before and now.
    assert "Ce qui a changé depuis que vous avez ouvert le formulaire" in html
    assert "<td>60\u00a0000\u00a0€</td><td>65\u00a0000\u00a0€</td>" in html
    assert 'value="70000"' in html
    assert poste.cout_annuel == Decimal("65000")


def test_the_post_lives_through_its_transitions(pref58, poste):
    def fire(action, **data):
        url = reverse("ingenierie:poste_transition", args=[poste.pk, action])
        return pref58.post(url, {f"{action}-{k}": v for k, v in data.items()})

    assert fire("recruter", commentaire="Fiche de poste publiée").status_code == 302
    assert fire("pourvoir", titulaire_nom="Camille Martin", debut="2021-09-01").status_code == 302
    poste.refresh_from_db()
    assert (poste.etat, poste.titulaire_nom) == (EtatPoste.OCCUPE, "Camille Martin")

    assert fire("liberer", fin="2023-08-31").status_code == 302
    poste.refresh_from_db()
    assert poste.etat == EtatPoste.VACANT

    html = pref58.get(poste.get_absolute_url()).text
    assert "À recruter → En recrutement" in html
    assert "En recrutement → Occupé" in html
    assert "Occupé → Vacant" in html
    assert "Fiche de poste publiée" in html


def test_pourvoir_without_a_name_shows_the_form_again(pref58, poste):
    url = reverse("ingenierie:poste_transition", args=[poste.pk, "recruter"])
    pref58.post(url, {"recruter-commentaire": ""})

    url = reverse("ingenierie:poste_transition", args=[poste.pk, "pourvoir"])
    response = pref58.post(url, {"pourvoir-debut": "2021-09-01"})

    poste.refresh_from_db()
    assert response.status_code == 400
    assert poste.etat == EtatPoste.EN_RECRUTEMENT


def test_a_transition_from_the_wrong_state_says_why(pref58, poste):
    url = reverse("ingenierie:poste_transition", args=[poste.pk, "liberer"])

    response = pref58.post(url, {"liberer-fin": "2023-08-31"}, follow=True)

    poste.refresh_from_db()
    assert poste.etat == EtatPoste.A_RECRUTER
    assert "impossible : l’état actuel est « À recruter »" in response.text


def test_the_prefecture_adds_a_vta(pref58, poste):
    response = pref58.post(
        reverse("ingenierie:vta_create", args=[poste.pk]),
        {"titulaire_nom": "Léa Durand", "mission": "Commerce", "debut": "2022-01-03"},
    )

    assert response.status_code == 302
    assert PosteVTA.objects.get().poste == poste
    assert "Léa Durand" in pref58.get(poste.get_absolute_url()).text


def test_the_list_filters_by_state_and_departement(pref58, poste, monde):
    url = reverse("ingenierie:poste_list")

    assert list(pref58.get(url, {"etat": "a_recruter"}).context["postes"]) == [poste]
    assert list(pref58.get(url, {"etat": "occupe"}).context["postes"]) == []
    assert list(pref58.get(url, {"departement": "58"}).context["postes"]) == [poste]
