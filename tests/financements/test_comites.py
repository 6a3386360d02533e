"""Comités des financeurs: the agenda, and the decisions of a session recorded all at once or
not at all."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from financements import services
from financements.enums import Decideur, EtatFinancement
from financements.models import ComiteFinanceurs


@pytest.fixture
def ordre_du_jour(pilier2, prefecture_58):
    services.inscrire(
        by=prefecture_58, comite=pilier2.comite, financements=[pilier2.demande, pilier2.bdt]
    )
    return pilier2


def _decide(client, comite, data):
    return client.post(reverse("financements:comite_decisions", args=[comite.pk]), data)


def test_prefecture_creates_a_comite_of_its_departement(client, monde, prefecture_58):
    client.force_login(prefecture_58)

    response = client.post(
        reverse("financements:comite_create"),
        {"departement": monde.nievre.pk, "date": "2022-10-03", "intitule": "Automne"},
    )

    comite = ComiteFinanceurs.objects.get()
    assert response["Location"] == comite.get_absolute_url()
    assert (comite.departement, comite.date) == (monde.nievre, date(2022, 10, 3))


def test_inscription_puts_pending_requests_on_the_agenda(client, pilier2, prefecture_58):
    client.force_login(prefecture_58)
    url = reverse("financements:comite_detail", args=[pilier2.comite.pk])
    offered = client.get(url).context["inscription"].fields["financements"].queryset

    # The granted line is not pending.
    assert set(offered) == {pilier2.demande, pilier2.bdt}
    client.post(
        reverse("financements:comite_inscrire", args=[pilier2.comite.pk]),
        {"financements": [pilier2.demande.pk]},
    )

    pilier2.demande.refresh_from_db()
    assert pilier2.demande.comite == pilier2.comite
    assert list(client.get(url).context["financements"]) == [pilier2.demande]


def test_bulk_decisions_are_recorded_together(client, ordre_du_jour, prefecture_58):
    client.force_login(prefecture_58)
    o = ordre_du_jour

    response = _decide(
        client,
        o.comite,
        {
            f"decision_{o.demande.pk}": "accorder",
            f"montant_{o.demande.pk}": "25000",
            f"decision_{o.bdt.pk}": "refuser",
            "commentaire": "Séance de juin",
        },
    )

    assert response.status_code == 302
    o.demande.refresh_from_db()
    o.bdt.refresh_from_db()
    o.comite.refresh_from_db()
    assert (o.demande.etat, o.demande.montant_accorde) == (
        EtatFinancement.ACCORDE,
        Decimal("25000"),
    )
    assert o.demande.decide_le == o.comite.date
    assert o.demande.decide_par == Decideur.COMITE_FINANCEURS
    assert o.bdt.etat == EtatFinancement.REFUSE
    assert o.comite.tenu


def test_bulk_decisions_are_all_or_nothing(client, ordre_du_jour, prefecture_58):
    client.force_login(prefecture_58)
    o = ordre_du_jour

    response = _decide(
        client,
        o.comite,
        {
            f"decision_{o.demande.pk}": "accorder",
            f"montant_{o.demande.pk}": "25000",
            # Above the 40 000 € requested: refused by the rules.
            f"decision_{o.bdt.pk}": "accorder",
            f"montant_{o.bdt.pk}": "45000",
        },
    )

    assert response.status_code == 400
    errors = str(response.context["decisions"].non_field_errors())
    assert "Aucune décision n’a été enregistrée" in errors
    assert "dépasse le montant demandé" in errors
    for line in (o.demande, o.bdt):
        line.refresh_from_db()
        assert (line.etat, line.montant_accorde) == (EtatFinancement.DEMANDE, None)
    o.comite.refresh_from_db()
    assert not o.comite.tenu
    # The form keeps what was typed.
    assert response.context["decisions"][f"montant_{o.bdt.pk}"].value() == "45000"


def test_granting_without_an_amount_is_refused_before_the_service(
    client, ordre_du_jour, prefecture_58
):
    client.force_login(prefecture_58)
    o = ordre_du_jour

    response = _decide(
        client,
        o.comite,
        {f"decision_{o.demande.pk}": "accorder", f"montant_{o.demande.pk}": ""},
    )

    assert response.status_code == 400
    assert f"montant_{o.demande.pk}" in response.context["decisions"].errors
    o.demande.refresh_from_db()
    assert o.demande.etat == EtatFinancement.DEMANDE


def test_no_decision_at_all_is_a_form_error(client, ordre_du_jour, prefecture_58):
    client.force_login(prefecture_58)

    response = _decide(client, ordre_du_jour.comite, {})

    assert response.status_code == 400
    assert "au moins une demande" in str(response.context["decisions"].non_field_errors())
