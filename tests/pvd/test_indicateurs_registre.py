"""The registry of the dashboard's indicators: every key the issue names is there, described,
computed together, and serialisable as the JSON and the note's snapshot store it."""

import json
from datetime import date

import pytest

from communes.perimetre import Perimetre
from pvd.indicateurs import REGISTRE, Contexte, Unite, calculer

# The keys of issue 6, in its order.
CLES = [
    "communes_pvd",
    "communes_adhesion_signee",
    "communes_adhesion_signee_pct",
    "conventions_adhesion_signees",
    "communes_ort",
    "communes_ort_pct",
    "communes_par_convention_moyenne",
    "comites_projet_copresides_pct",
    "copresidence_maires_epci_pct",
    "copresidence_maires_pct",
    "communes_cd_cosignataire_pct",
    "communes_cr_cosignataire_pct",
    "actions_equipements_pct",
    "tiers_lieu_pct",
    "opah_pct",
    "opah_ru_pct",
    "orientations",
    "besoin_chef_projet_pct",
    "besoin_etudes_pct",
    "besoin_investissements_pct",
    "chefs_projet_postes_occupes",
    "vta",
    "ingenierie_communes",
    "ingenierie_montant",
    "ingenierie_par_partenaire",
    "commerce_collectivites",
    "commerce_montant",
    "managers_commerce",
    "commerce_par_mesure",
    "friches_communes",
    "friches_montant",
    "detr_communes",
    "detr_montant",
    "dsil_communes",
    "dsil_montant",
    "fnadt_communes",
    "fnadt_montant",
    "france_services",
    "conseillers_numeriques",
    "club_semaines_thematiques",
    "club_webinaires",
    "club_communes_valorisees",
    "club_participants",
    "club_formations_sessions",
    "club_formations_modules",
    "club_formations_participants",
    "serie_communes_adhesion",
]


def test_every_key_of_the_issue_is_registered():
    assert [cle for cle in CLES if cle not in REGISTRE] == []


@pytest.mark.parametrize("cle", sorted(REGISTRE))
def test_every_indicator_is_described_in_french(cle):
    indicateur = REGISTRE[cle]
    assert indicateur.libelle
    assert indicateur.libelle[0].isupper()
    assert indicateur.definition.endswith(".")
    assert indicateur.unite in Unite


def test_money_is_never_public():
    assert [i.cle for i in REGISTRE.values() if i.public and i.unite == Unite.EUROS] == []


@pytest.mark.parametrize(
    "perimetre",
    [
        Perimetre(national=True),
        Perimetre(regions=frozenset({"27"})),
        Perimetre.parse("departement:58"),
    ],
)
def test_all_indicators_compute_together_into_json(monde, referentiel, perimetre):
    valeurs = calculer(Contexte(perimetre, date(2021, 10, 15)))

    assert list(valeurs) == list(REGISTRE)
    assert json.loads(json.dumps(valeurs)) == valeurs
