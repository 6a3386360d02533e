"""`for_user`: what each persona may see of the territories' non-public data."""

import pytest
from django.contrib.auth.models import AnonymousUser

from communes.enums import Role
from communes.models import EPCI, Commune, Departement, Region, User
from communes.perimetre import Perimetre
from tests.factories import HabilitationFactory, UserFactory


def codes(queryset) -> set[str]:
    return set(queryset.values_list("pk", flat=True))


ALL_COMMUNES = {"58079", "58013", "58062", "21580", "07186"}


@pytest.mark.parametrize(
    ("persona", "communes", "epcis", "departements", "regions"),
    [
        (
            "anct",
            ALL_COMMUNES,
            {"200067429", "200067890", "200070761"},
            {"58", "21", "07"},
            {"27", "84"},
        ),
        ("prefecture_58", {"58079", "58013", "58062"}, {"200067429", "200067890"}, {"58"}, {"27"}),
        ("prefecture_07", {"07186"}, {"200070761"}, {"07"}, {"84"}),
        (
            "region_27",
            {"58079", "58013", "58062", "21580"},
            {"200067429", "200067890"},
            {"58", "21"},
            {"27"},
        ),
        ("commune_clamecy", {"58079"}, {"200067429"}, {"58"}, {"27"}),
        ("epci_haut_nivernais", {"58079", "58013"}, {"200067429"}, {"58"}, {"27"}),
        # A partner without a territory works nationally.
        (
            "partenaire",
            ALL_COMMUNES,
            {"200067429", "200067890", "200070761"},
            {"58", "21", "07"},
            {"27", "84"},
        ),
    ],
)
def test_each_persona_sees_its_perimeter(request, persona, communes, epcis, departements, regions):
    user = request.getfixturevalue(persona)

    assert codes(Commune.objects.for_user(user)) == communes
    assert codes(EPCI.objects.for_user(user)) == epcis
    assert codes(Departement.objects.for_user(user)) == departements
    assert codes(Region.objects.for_user(user)) == regions


def test_anonymous_and_users_without_habilitation_see_nothing(monde):
    nobody = UserFactory()

    for user in (AnonymousUser(), nobody):
        assert not Commune.objects.for_user(user).exists()
        assert not Departement.objects.for_user(user).exists()
        assert Perimetre.of(user).is_empty


def test_a_prefecture_agent_gets_nothing_of_another_departement(prefecture_58, monde):
    assert not Commune.objects.for_user(prefecture_58).filter(pk=monde.privas.pk).exists()
    assert not Departement.objects.for_user(prefecture_58).filter(pk="07").exists()


def test_several_habilitations_add_up(monde):
    user = UserFactory()
    HabilitationFactory(user=user, role=Role.PREFECTURE, departement=monde.ardeche)
    HabilitationFactory(user=user, role=Role.COMMUNE, commune=monde.clamecy)
    user = User.objects.get(pk=user.pk)

    assert codes(Commune.objects.for_user(user)) == {"07186", "58079"}


def test_a_partner_with_a_territory_sees_only_that_territory(monde):
    user = UserFactory()
    HabilitationFactory(
        user=user,
        role=Role.PARTENAIRE,
        organisation=monde.banque_des_territoires,
        departement=monde.cote_dor,
    )
    user = User.objects.get(pk=user.pk)

    assert codes(Commune.objects.for_user(user)) == {"21580"}


def test_a_superuser_is_national(monde):
    admin = User.objects.create_superuser("admin@anct.gouv.fr", "Un-mot-de-passe-admin")

    assert codes(Commune.objects.for_user(admin)) == ALL_COMMUNES


def test_the_perimeter_costs_one_query_per_request(prefecture_58, django_assert_num_queries):
    with django_assert_num_queries(1):
        Perimetre.of(prefecture_58)
        Perimetre.of(prefecture_58)
        prefecture_58.has_role(Role.PREFECTURE)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("FR", Perimetre(national=True)),
        ("fr", Perimetre(national=True)),
        ("region:27", Perimetre(regions=frozenset({"27"}))),
        ("departement:2A", Perimetre(departements=frozenset({"2A"}))),
    ],
)
def test_a_perimeter_parameter_reads_and_writes_back(value, expected):
    assert Perimetre.parse(value) == expected
    assert Perimetre.parse(expected.param) == expected


@pytest.mark.parametrize("value", ["", "France", "region:", "commune:58079", "departement"])
def test_an_unknown_perimeter_parameter_is_refused_in_french(value):
    with pytest.raises(ValueError, match=r"Périmètre .* inconnu"):
        Perimetre.parse(value)
