"""The Ingénierie tab of a commune's dossier: its posts with their VTA, its soutiens with
coherent totals (euros and days apart), its besoins, and the buttons its reader may use."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from ingenierie import services

URL = reverse("conventions:dossier_detail", args=["58079"])


@pytest.fixture
def soutiens(soutien_cerema, soutien_bdt, organisations, prefecture_58, monde):
    anah = services.create_soutien(
        by=prefecture_58,
        organisation=organisations["anah"],
        communes=[monde.clamecy, monde.armes],
        nature="amo",
        objet="AMO habitat",
        montant_euros=Decimal("10000.50"),
    )
    # Armes alone: not one of Clamecy's.
    services.create_soutien(
        by=prefecture_58,
        organisation=organisations["cerema"],
        communes=[monde.armes],
        nature="diagnostic",
        objet="Diagnostic d’Armes",
        nombre_jours=Decimal("7"),
    )
    return [soutien_cerema, soutien_bdt, anah]


def _section(response) -> str:
    html = response.text
    start = html.index('id="onglet-ingenierie-panel"')
    return html[start : html.index('id="onglet-historique-panel"')]


def test_the_tab_shows_the_communes_soutiens_with_their_totals_apart(
    client, prefecture_58, soutiens
):
    client.force_login(prefecture_58)

    response = client.get(URL)

    section = _section(response)
    assert "Ingénierie" in response.text
    assert "3 soutiens" in section
    assert "<strong>40\xa0000,50\xa0€</strong>" in section
    assert "<strong>20\xa0jours</strong>" in section
    assert "Diagnostic d’Armes" not in section
    assert "Diagnostic des mobilités" in section


def test_the_tab_shows_the_post_its_vta_and_the_besoins(
    client, commune_clamecy, poste, prefecture_58, monde
):
    services.create_vta(
        by=prefecture_58, poste=poste, titulaire_nom="Léa Durand", debut=date(2022, 1, 3)
    )
    services.save_besoins(
        by=commune_clamecy,
        commune=monde.clamecy,
        chef_de_projet=True,
        etudes=False,
        investissements=True,
    )
    client.force_login(commune_clamecy)

    section = _section(client.get(URL))

    assert poste.get_absolute_url() in section
    assert "Léa Durand" in section
    assert "60\xa0000\xa0€" in section
    assert "36\xa0000\xa0€ (60\xa0%)" in section
    assert "Financement du chef de projet : <strong>oui</strong>" in section
    assert "Financement d’études opérationnelles : <strong>non</strong>" in section


@pytest.mark.parametrize(
    ("persona", "buttons"),
    [
        ("prefecture_58", {"poste", "soutien", "besoins"}),
        ("commune_clamecy", {"besoins"}),
        ("epci_haut_nivernais", {"besoins"}),
        ("partenaire", {"soutien"}),
        ("anct", set()),
        ("region_27", set()),
    ],
)
def test_each_reader_gets_the_buttons_it_may_use(as_persona, adhesion_signee, persona, buttons):
    section = _section(as_persona(persona).get(URL))

    shown = {
        name
        for name, url in [
            ("poste", reverse("ingenierie:poste_create")),
            ("soutien", reverse("ingenierie:soutien_create")),
            ("besoins", reverse("ingenierie:besoins", args=["58079"])),
        ]
        if f'href="{url}' in section
    }
    assert shown == buttons
