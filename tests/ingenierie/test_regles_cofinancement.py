"""The two rules of a chef de projet's co-financing (75 % cap; Anah only with an OPAH-RU in
pre-operational or operational phase) and the one unit of a soutien: refused by the services
with a French message, and by the database when the services are bypassed."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from conventions.models import Orientation
from financements.services import create_action, update_action
from ingenierie.models import PosteChefDeProjet, SoutienIngenierie
from ingenierie.services import create_poste, create_soutien, update_poste
from pvd.exceptions import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def opah_ru(monde, prefecture_58, orientations):
    def make(etat="operationnelle", commune=None):
        return create_action(
            by=prefecture_58,
            communes=[commune or monde.clamecy],
            titre="OPAH-RU du centre ancien",
            orientation=Orientation.objects.get(code="habitat"),
            type="opah_ru",
            etat=etat,
        )

    return make


def poste(prefecture_58, monde, **fields):
    return create_poste(
        by=prefecture_58,
        communes=[monde.clamecy],
        employeur_commune=monde.clamecy,
        cout_annuel=fields.pop("cout_annuel", Decimal("60000")),
        **fields,
    )


def test_a_post_financed_at_exactly_75_percent_is_accepted(monde, prefecture_58):
    created = poste(
        prefecture_58,
        monde,
        subvention_anct=Decimal("20000"),
        subvention_bdt=Decimal("15000"),
        subvention_etat=Decimal("10000"),
    )

    assert created.subvention_totale == Decimal("45000")
    assert created.taux_subvention == Decimal("0.75")


def test_the_service_refuses_a_subsidy_above_75_percent_and_saves_nothing(monde, prefecture_58):
    with pytest.raises(DomainError, match="dépasse 75 % du coût annuel") as error:
        poste(
            prefecture_58,
            monde,
            subvention_anct=Decimal("30000"),
            subvention_bdt=Decimal("15000.01"),
        )

    assert "plafonnée à 45\u00a0000\u00a0€" in str(error.value)  # the cap, in French
    assert not PosteChefDeProjet.objects.exists()


def test_an_update_cannot_raise_the_subsidy_above_75_percent(monde, prefecture_58):
    created = poste(prefecture_58, monde, subvention_anct=Decimal("40000"))

    with pytest.raises(DomainError, match="75 %"):
        update_poste(by=prefecture_58, poste=created, cout_annuel=Decimal("50000"))

    created.refresh_from_db()
    assert created.cout_annuel == Decimal("60000")


def test_the_database_refuses_a_subsidy_above_75_percent(monde, prefecture_58):
    created = poste(prefecture_58, monde, subvention_anct=Decimal("45000"))

    with pytest.raises(IntegrityError), transaction.atomic():
        PosteChefDeProjet.objects.filter(pk=created.pk).update(subvention_bdt=Decimal("0.01"))


def test_anah_needs_an_opah_ru_of_the_territory(monde, prefecture_58, opah_ru):
    with pytest.raises(DomainError, match="OPAH-RU en phase pré-opérationnelle ou opérationnelle"):
        poste(prefecture_58, monde, subvention_anah=Decimal("10000"))

    envisagee = opah_ru("envisagee")
    with pytest.raises(DomainError, match="OPAH-RU"):
        poste(prefecture_58, monde, subvention_anah=Decimal("10000"), opah_ru=envisagee)

    elsewhere = opah_ru("operationnelle", commune=monde.chateau_chinon)
    with pytest.raises(DomainError, match="OPAH-RU"):
        poste(prefecture_58, monde, subvention_anah=Decimal("10000"), opah_ru=elsewhere)

    for phase in ("pre_operationnelle", "operationnelle"):
        created = poste(
            prefecture_58, monde, subvention_anah=Decimal("10000"), opah_ru=opah_ru(phase)
        )
        assert created.subvention_anah == Decimal("10000")


def test_the_database_refuses_anah_without_an_eligible_opah_ru(monde, prefecture_58, opah_ru):
    created = poste(prefecture_58, monde, subvention_anct=Decimal("10000"))
    envisagee = opah_ru("envisagee")
    opah = create_action(
        by=prefecture_58,
        communes=[monde.clamecy],
        titre="OPAH simple",
        orientation=envisagee.orientation,
        type="opah",
        etat="operationnelle",
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        PosteChefDeProjet.objects.filter(pk=created.pk).update(subvention_anah=Decimal("1"))
    for action in (envisagee, opah):
        with pytest.raises(IntegrityError), transaction.atomic():
            PosteChefDeProjet.objects.filter(pk=created.pk).update(
                subvention_anah=Decimal("1"), opah_ru=action
            )
    # The trigger lets an eligible one through.
    eligible = opah_ru("pre_operationnelle")
    PosteChefDeProjet.objects.filter(pk=created.pk).update(
        subvention_anah=Decimal("1"), opah_ru=eligible
    )


def test_an_opah_ru_justifying_a_share_keeps_its_type(monde, prefecture_58, opah_ru):
    action = opah_ru()
    poste(prefecture_58, monde, subvention_anah=Decimal("5000"), opah_ru=action)

    with pytest.raises(DomainError, match="ne peut plus changer"):
        update_action(by=prefecture_58, action=action, type="opah")


def test_only_the_prefecture_records_posts(monde, partenaire, commune_clamecy, prefecture_07):
    for user in (partenaire, commune_clamecy, prefecture_07):
        with pytest.raises(NotAllowed):
            poste(user, monde)


def test_a_soutien_has_exactly_one_unit(monde, prefecture_58, referentiel):
    from communes.models import Organisation

    cerema = Organisation.objects.get(code="cerema")
    common = {
        "by": prefecture_58,
        "organisation": cerema,
        "communes": [monde.clamecy],
        "nature": "co_construction",
        "objet": "Co-construction du projet de friche",
    }
    for units in ({}, {"montant_euros": Decimal("1000"), "nombre_jours": Decimal("2")}):
        with pytest.raises(DomainError, match="l’un ou l’autre"):
            create_soutien(**common, **units)

    days = create_soutien(**common, nombre_jours=Decimal("2"))
    with pytest.raises(IntegrityError), transaction.atomic():
        SoutienIngenierie.objects.filter(pk=days.pk).update(montant_euros=Decimal("1000"))
    with pytest.raises(IntegrityError), transaction.atomic():
        SoutienIngenierie.objects.filter(pk=days.pk).update(nombre_jours=None)


def test_days_and_euros_are_totalled_apart(monde, prefecture_58, referentiel):
    from communes.models import Organisation

    for code, units in (
        ("cerema", {"nombre_jours": Decimal("2")}),
        ("cerema", {"nombre_jours": Decimal("3.5")}),
        ("anah", {"montant_euros": Decimal("12000")}),
    ):
        create_soutien(
            by=prefecture_58,
            organisation=Organisation.objects.get(code=code),
            communes=[monde.clamecy],
            nature="etude",
            objet="Étude",
            **units,
        )

    assert SoutienIngenierie.objects.totaux() == {
        "euros": Decimal("12000"),
        "jours": Decimal("5.5"),
    }


def test_an_occupied_post_keeps_a_holder_and_ends_after_it_starts(monde, prefecture_58):
    from datetime import date

    created = poste(prefecture_58, monde)
    PosteChefDeProjet.objects.filter(pk=created.pk).update(
        etat="occupe", titulaire_nom="Léa Morel", debut=date(2021, 9, 1)
    )
    created.refresh_from_db()

    with pytest.raises(DomainError, match="titulaire"):
        update_poste(by=prefecture_58, poste=created, titulaire_nom="")
    with pytest.raises(DomainError, match="précéder"):
        update_poste(by=prefecture_58, poste=created, fin=date(2021, 8, 31))
