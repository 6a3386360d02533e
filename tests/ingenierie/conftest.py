"""Objects of pillar 1 on the small France of tests/conftest.py: Clamecy and Armes are
lauréates, their convention d'adhésion is signed, the referential of organisations is seeded."""

from datetime import date
from decimal import Decimal

import pytest

from communes.models import Organisation
from conventions.models import Orientation
from financements.services import create_action
from ingenierie import services


@pytest.fixture
def organisations(referentiel) -> dict[str, Organisation]:
    return {
        o.code: o for o in Organisation.objects.filter(code__in=["anct", "bdt", "anah", "cerema"])
    }


@pytest.fixture
def opah_ru(adhesion_signee, prefecture_58, monde):
    """An OPAH-RU in operational phase at Clamecy: it opens the Anah's share."""
    return create_action(
        by=prefecture_58,
        communes=[monde.clamecy],
        titre="OPAH-RU du centre ancien",
        orientation=Orientation.objects.get(code="habitat"),
        type="opah_ru",
        etat="operationnelle",
    )


@pytest.fixture
def poste(adhesion_signee, prefecture_58, monde):
    return services.create_poste(
        by=prefecture_58,
        communes=[monde.clamecy],
        cout_annuel=Decimal("60000"),
        employeur_commune=monde.clamecy,
        subvention_anct=Decimal("24000"),
        subvention_bdt=Decimal("12000"),
    )


@pytest.fixture
def soutien_cerema(organisations, adhesion_signee, prefecture_58, monde):
    """A Cerema soutien, counted in days, recorded by the préfecture."""
    return services.create_soutien(
        by=prefecture_58,
        organisation=organisations["cerema"],
        communes=[monde.clamecy],
        nature="diagnostic",
        objet="Diagnostic des mobilités",
        nombre_jours=Decimal("20"),
        debut=date(2022, 3, 1),
    )


@pytest.fixture
def soutien_bdt(organisations, adhesion_signee, prefecture_58, monde):
    return services.create_soutien(
        by=prefecture_58,
        organisation=organisations["bdt"],
        communes=[monde.clamecy],
        nature="etude",
        objet="Étude de programmation commerciale",
        montant_euros=Decimal("30000"),
        debut=date(2022, 1, 10),
    )
