"""Pillar 2 on the small France of tests/conftest.py: lines of Clamecy (Nièvre) recorded by its
préfecture (a DETR line, whose financeur is the État) and by the Banque des Territoires'
partner (a « Manager de commerce » line shared with Armes), an action, a comité, a label."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from conventions.models import Orientation
from financements import services
from financements.models import (
    Action,
    ComiteFinanceurs,
    Financement,
    Label,
    Mesure,
    SourceFinancement,
)


@dataclass
class Pilier2:
    detr: SourceFinancement
    manager_commerce: SourceFinancement
    demande: Financement  # DETR, Clamecy, requested
    accorde: Financement  # DETR, Clamecy, granted 150 000 € of 200 000 €
    bdt: Financement  # Manager de commerce (BdT), Clamecy and Armes, requested
    action: Action
    comite: ComiteFinanceurs
    label: Label
    mesure: Mesure


@pytest.fixture
def pilier2(monde, referentiel, laureates, prefecture_58, partenaire) -> Pilier2:
    detr = SourceFinancement.objects.get(code="detr")
    manager_commerce = SourceFinancement.objects.get(code="bdt-manager-commerce")
    action = services.create_action(
        by=prefecture_58,
        communes=[monde.clamecy],
        titre="Rénovation des halles",
        orientation=Orientation.objects.get(code="commerce"),
        type="commerce",
        etat="envisagee",
        budget=Decimal("450000"),
    )
    demande = services.create_financement(
        by=prefecture_58,
        communes=[monde.clamecy],
        objet="Halles : études",
        annee=2022,
        montant_demande=Decimal("30000"),
        source=detr,
    )
    accorde = services.create_financement(
        by=prefecture_58,
        communes=[monde.clamecy],
        objet="Halles : travaux",
        annee=2022,
        montant_demande=Decimal("200000"),
        source=detr,
        action=action,
    )
    accorde = services.accorder(
        by=prefecture_58,
        financement=accorde,
        montant_accorde=Decimal("150000"),
        decide_le=date(2022, 3, 1),
    )
    bdt = services.create_financement(
        by=partenaire,
        communes=[monde.clamecy, monde.armes],
        objet="Manager de centre-ville",
        annee=2022,
        montant_demande=Decimal("40000"),
        source=manager_commerce,
    )
    comite = services.create_comite(
        by=prefecture_58, departement=monde.nievre, date=date(2022, 6, 15), intitule="Juin 2022"
    )
    label = services.create_label(
        by=prefecture_58, commune=monde.clamecy, type="france_services", debut=date(2021, 1, 4)
    )
    return Pilier2(
        detr=detr,
        manager_commerce=manager_commerce,
        demande=demande,
        accorde=Financement.objects.get(pk=accorde.pk),
        bdt=bdt,
        action=action,
        comite=comite,
        label=label,
        mesure=Mesure.objects.get(code="manager-centre-ville"),
    )
