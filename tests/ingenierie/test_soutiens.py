"""Soutiens en ingénierie through the pages: a partner writes only its organisation's lines,
euros and days never add up."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ingenierie.models import SoutienIngenierie


def _data(**overrides) -> dict:
    return {
        "communes": ["58079"],
        "nature": "etude",
        "objet": "Étude de revitalisation",
        "unite": "euros",
        "quantite": "15000",
        "etat": "engage",
        **overrides,
    }


def _edit_data(soutien, **overrides) -> dict:
    current = {
        "version": soutien.version,
        "objet": soutien.objet,
        "nature": soutien.nature,
        "unite": "jours" if soutien.nombre_jours else "euros",
        "quantite": str(soutien.nombre_jours or soutien.montant_euros),
    }
    return _data(**{**current, **overrides})


def test_a_partner_records_a_soutien_of_its_organisation(
    client, partenaire, organisations, adhesion_signee
):
    client.force_login(partenaire)

    response = client.post(
        reverse("ingenierie:soutien_create"), _data(organisation=organisations["bdt"].pk)
    )

    soutien = SoutienIngenierie.objects.get()
    assert response.status_code == 302
    assert (soutien.organisation, soutien.montant_euros, soutien.nombre_jours) == (
        organisations["bdt"],
        Decimal("15000"),
        None,
    )


def test_a_partner_is_offered_only_its_organisations(
    client, partenaire, organisations, adhesion_signee
):
    client.force_login(partenaire)

    form = client.get(reverse("ingenierie:soutien_create")).context["form"]
    response = client.post(
        reverse("ingenierie:soutien_create"), _data(organisation=organisations["cerema"].pk)
    )

    assert list(form.fields["organisation"].queryset) == [organisations["bdt"]]
    assert response.status_code == 200
    assert not SoutienIngenierie.objects.exists()


def test_the_prefecture_chooses_any_organisation(client, prefecture_58, organisations):
    client.force_login(prefecture_58)

    form = client.get(reverse("ingenierie:soutien_create")).context["form"]

    assert set(organisations.values()) <= set(form.fields["organisation"].queryset)


def test_a_partner_edits_its_own_soutien(client, partenaire, soutien_bdt):
    client.force_login(partenaire)
    url = reverse("ingenierie:soutien_update", args=[soutien_bdt.pk])

    response = client.post(url, _edit_data(soutien_bdt, quantite="32000", etat="en_cours"))

    soutien_bdt.refresh_from_db()
    assert response.status_code == 302
    assert (soutien_bdt.montant_euros, soutien_bdt.etat) == (Decimal("32000"), "en_cours")


def test_a_partner_gets_403_on_another_partners_soutien(client, partenaire, soutien_cerema):
    client.force_login(partenaire)
    url = reverse("ingenierie:soutien_update", args=[soutien_cerema.pk])

    assert client.get(soutien_cerema.get_absolute_url()).status_code == 200
    assert client.get(url).status_code == 403
    assert client.post(url, _edit_data(soutien_cerema, quantite="99")).status_code == 403
    soutien_cerema.refresh_from_db()
    assert soutien_cerema.nombre_jours == Decimal("20")


def test_another_prefecture_gets_404_on_the_soutien(client, prefecture_07, soutien_cerema):
    client.force_login(prefecture_07)

    for url in (
        soutien_cerema.get_absolute_url(),
        reverse("ingenierie:soutien_update", args=[soutien_cerema.pk]),
    ):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"unite": ""}, "Ce champ est obligatoire"),
        ({"quantite": ""}, "Ce champ est obligatoire"),
        ({"quantite": "0"}, "Indiquez une quantité positive."),
        ({"unite": "jours", "quantite": "2.25"}, "Un nombre de jours a une décimale au plus"),
    ],
)
def test_the_quantity_needs_one_unit_and_a_positive_value(
    client, prefecture_58, organisations, adhesion_signee, overrides, error
):
    client.force_login(prefecture_58)

    response = client.post(
        reverse("ingenierie:soutien_create"),
        _data(organisation=organisations["cerema"].pk, **overrides),
    )

    assert response.status_code == 200
    assert error in response.text
    assert not SoutienIngenierie.objects.exists()


def test_cerema_days_are_stored_as_days(client, prefecture_58, organisations, adhesion_signee):
    client.force_login(prefecture_58)

    client.post(
        reverse("ingenierie:soutien_create"),
        _data(organisation=organisations["cerema"].pk, unite="jours", quantite="12.5"),
    )

    soutien = SoutienIngenierie.objects.get()
    assert (soutien.montant_euros, soutien.nombre_jours) == (None, Decimal("12.5"))


def test_an_edit_can_change_the_unit(client, prefecture_58, soutien_cerema):
    client.force_login(prefecture_58)
    url = reverse("ingenierie:soutien_update", args=[soutien_cerema.pk])

    client.post(url, _edit_data(soutien_cerema, unite="euros", quantite="8000"))

    soutien_cerema.refresh_from_db()
    assert (soutien_cerema.montant_euros, soutien_cerema.nombre_jours) == (Decimal("8000"), None)


def test_a_stale_edit_of_a_soutien_answers_409(client, prefecture_58, soutien_bdt):
    from ingenierie.services import update_soutien

    client.force_login(prefecture_58)
    url = reverse("ingenierie:soutien_update", args=[soutien_bdt.pk])
    data = _edit_data(soutien_bdt, objet="Étude commerciale (v2)")
    update_soutien(by=prefecture_58, soutien=soutien_bdt, etat="en_cours")

    response = client.post(url, data)

    assert response.status_code == 409
    assert "Étude commerciale (v2)" in response.text


def test_cerema_days_and_euros_are_shown_apart(client, prefecture_58, soutien_cerema, soutien_bdt):
    client.force_login(prefecture_58)

    response = client.get(reverse("ingenierie:soutien_list"))

    html = response.text
    assert response.context["totaux"] == {"euros": Decimal("30000"), "jours": Decimal("20")}
    assert '<p class="fr-tile__desc fr-h4 fr-mb-0" id="total-euros">30\xa0000\xa0€</p>' in html
    assert '<p class="fr-tile__desc fr-h4 fr-mb-0" id="total-jours">20\xa0jours</p>' in html
    assert "30\xa0020" not in html  # never summed
    assert "Diagnostic des mobilités" in html


def test_the_list_filters_and_its_totals_follow(
    client, prefecture_58, soutien_cerema, soutien_bdt, organisations
):
    client.force_login(prefecture_58)
    url = reverse("ingenierie:soutien_list")

    cerema = client.get(url, {"organisation": organisations["cerema"].pk}).context
    etudes = client.get(url, {"nature": "etude"}).context
    termines = client.get(url, {"etat": "termine"}).context

    assert list(cerema["soutiens"]) == [soutien_cerema]
    assert cerema["totaux"] == {"euros": 0, "jours": Decimal("20")}
    assert list(etudes["soutiens"]) == [soutien_bdt]
    assert list(termines["soutiens"]) == []
