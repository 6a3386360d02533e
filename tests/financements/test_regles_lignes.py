"""The rules of a financing line, in the services and in the database: a partner writes only
its organisation's lines; paid never exceeds granted; the last payment makes it « versé »; a
comité's decisions are all or nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from financements.enums import EtatFinancement
from financements.models import Financement, SourceFinancement, Versement
from financements.services import (
    Decision,
    accorder,
    create_comite,
    create_financement,
    decide_comite,
    inscrire,
    record_versement,
    update_financement,
)
from pvd.exceptions import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def ligne(monde, prefecture_58, referentiel):
    def make(source="detr", montant="100000.00", by=None):
        return create_financement(
            by=by or prefecture_58,
            source=SourceFinancement.objects.get(code=source),
            communes=[monde.clamecy],
            objet="Halle du marché",
            annee=2021,
            montant_demande=Decimal(montant),
        )

    return make


def test_a_partner_records_its_own_organisations_lines_only(ligne, partenaire, prefecture_58):
    bdt = ligne("bdt-manager-commerce", "40000", by=partenaire)
    assert bdt.financeur.code == "bdt"

    with pytest.raises(NotAllowed):
        ligne("detr", by=partenaire)
    detr = ligne("detr")
    with pytest.raises(NotAllowed):
        update_financement(by=partenaire, financement=detr, objet="Autre")
    with pytest.raises(NotAllowed):
        accorder(
            by=partenaire, financement=detr, montant_accorde=Decimal(1), decide_le=date(2021, 6, 1)
        )
    update_financement(by=partenaire, financement=bdt, objet="Manager de commerce 2021-2023")


def test_payments_never_exceed_the_grant_and_the_last_one_closes_the_line(ligne, prefecture_58):
    line = accorder(
        by=prefecture_58,
        financement=ligne(),
        montant_accorde=Decimal("80000.00"),
        decide_le=date(2021, 6, 1),
    )
    record_versement(
        by=prefecture_58, financement=line, verse_le=date(2021, 9, 1), montant=Decimal("30000")
    )

    with pytest.raises(DomainError, match="dépasse ce qui reste à verser"):
        record_versement(
            by=prefecture_58,
            financement=line,
            verse_le=date(2021, 10, 1),
            montant=Decimal("50000.01"),
        )
    assert Versement.objects.count() == 1

    record_versement(
        by=prefecture_58, financement=line, verse_le=date(2021, 10, 1), montant=Decimal("50000")
    )
    line.refresh_from_db()
    assert (line.etat, line.montant_verse) == (EtatFinancement.VERSE, Decimal("80000.00"))


def test_the_database_keeps_paid_within_granted(ligne, prefecture_58):
    line = accorder(
        by=prefecture_58,
        financement=ligne(),
        montant_accorde=Decimal("100"),
        decide_le=date(2021, 6, 1),
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Financement.objects.filter(pk=line.pk).update(montant_verse=Decimal("100.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Financement.objects.filter(pk=line.pk).update(etat=EtatFinancement.VERSE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Financement.objects.filter(pk=line.pk).update(source=None)


def test_a_grant_cannot_exceed_the_request(ligne, prefecture_58):
    with pytest.raises(DomainError, match="dépasse le montant demandé"):
        accorder(
            by=prefecture_58,
            financement=ligne(montant="1000"),
            montant_accorde=Decimal("1000.01"),
            decide_le=date(2021, 6, 1),
        )


def test_comite_decisions_are_all_or_nothing(ligne, prefecture_58, prefecture_07, monde):
    first, second = ligne(), ligne(montant="5000")
    comite = create_comite(by=prefecture_58, departement=monde.nievre, date=date(2021, 5, 20))
    inscrire(by=prefecture_58, comite=comite, financements=[first, second])

    with pytest.raises(NotAllowed):
        decide_comite(by=prefecture_07, comite=comite, decisions=[])
    with pytest.raises(DomainError, match="Aucune décision n’a été enregistrée"):
        decide_comite(
            by=prefecture_58,
            comite=comite,
            decisions=[
                Decision(first, accorde=True, montant_accorde=Decimal("50000")),
                Decision(second, accorde=True, montant_accorde=Decimal("9999")),  # > request
            ],
        )
    assert set(Financement.objects.values_list("etat", flat=True)) == {EtatFinancement.DEMANDE}

    assert (
        decide_comite(
            by=prefecture_58,
            comite=comite,
            decisions=[
                Decision(first, accorde=True, montant_accorde=Decimal("50000")),
                Decision(second, accorde=False),
            ],
        )
        == 2
    )
    first.refresh_from_db()
    assert (first.etat, first.decide_le, first.decide_par) == (
        EtatFinancement.ACCORDE,
        date(2021, 5, 20),
        "comite_financeurs",
    )


def test_a_comite_is_convened_by_the_prefecture_of_its_departement(prefecture_58, monde):
    with pytest.raises(NotAllowed):
        create_comite(by=prefecture_58, departement=monde.cote_dor, date=date(2021, 5, 20))
