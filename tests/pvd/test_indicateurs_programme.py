"""The indicators of pillars 1 and 2 (`pvd.indicateurs.programme`) on a small programme built
by hand with the services, over the test France of tests/conftest.py, for France, the région
Bourgogne-Franche-Comté (27) and the Nièvre (58), at two dates.

The PVD communes: Clamecy and Armes (58, retenues on 10 December 2020), Château-Chinon (58,
1 March 2021), Privas (07, région 84, 15 January 2021), Saulieu (21, région 27, 1 February 2022
only: not a PVD commune on the first date). Varzy (58) never is. Each object below says when it
counts; the comments of `EXPECTED` say why each value is what it is.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from communes.enums import Role
from communes.models import Organisation
from communes.perimetre import Perimetre
from conventions.enums import Avis
from conventions.models import Orientation
from conventions.services import candidatures as candidature_services
from conventions.services import conventions as convention_services
from financements import referentiel
from financements import services as financement_services
from financements.models import Action, Financement, Mesure, SourceFinancement
from ingenierie import services as ingenierie_services
from ingenierie.models import BesoinsExprimes
from pvd.indicateurs import REGISTRE, Contexte, Section, Unite, calculer
from tests.conftest import _persona
from tests.factories import CommuneFactory

J1, J2 = date(2021, 10, 15), date(2022, 6, 30)
FRANCE = Perimetre(national=True)
BFC = Perimetre(regions=frozenset({"27"}))
NIEVRE = Perimetre(departements=frozenset({"58"}))

CLES = [
    "actions_equipements_pct",
    "tiers_lieu_pct",
    "opah_pct",
    "opah_ru_pct",
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
]

ANAH, ANCT, BDT, CEREMA = (
    referentiel.ORGANISATIONS[code][0] for code in ("anah", "anct", "bdt", "cerema")
)
MANAGER, DIAGNOSTIC, SOLUTION, INGENIERIE_NUMERIQUE = (
    referentiel.SOURCES[code][0]
    for code in (
        "bdt-manager-commerce",
        "bdt-diagnostic-impact",
        "bdt-solution-numerique",
        "bdt-ingenierie-numerique",
    )
)


def paris(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def recorded_on(obj, day: date, hour: int = 12, minute: int = 0) -> None:
    """The object was recorded on the portal on `day` (the services stamp today)."""
    type(obj).objects.filter(pk=obj.pk).update(created_at=paris(day, hour, minute))


def mesure(cles: dict) -> dict:
    """A `commerce_par_mesure` value: the four measures, those not given at zero."""
    vide = {"collectivites": 0, "demandes": 0, "montant": 0.0}
    return {
        nom: cles.get(nom, vide) for nom in (MANAGER, DIAGNOSTIC, SOLUTION, INGENIERIE_NUMERIQUE)
    }


def equipements(culturel: float, medico_social: float, sportif: float) -> dict:
    return {
        "Équipement culturel": culturel,
        "Équipement médico-social": medico_social,
        "Équipement sportif": sportif,
    }


def partenaire(communes: int, montant: float = 0.0, jours: float = 0.0) -> dict:
    return {"communes": communes, "montant": montant, "jours": jours}


class Programme:
    """The hand-built programme: the personas and communes it was built with."""

    def __init__(self, monde, anct, prefecture_58, prefecture_07, region_27, pdf):
        self.monde = monde
        self.anct = anct
        self.prefectures = {"58": prefecture_58, "07": prefecture_07}
        self.prefectures["21"] = _persona(
            "pref21@cote-dor.gouv.fr", Role.PREFECTURE, departement=monde.cote_dor
        )
        self.region_27 = region_27
        self.region_84 = _persona("sgar@ara.gouv.fr", Role.REGION, region=monde.aura)
        self.pdf = pdf
        self.partenaires = {}
        self.orientation = Orientation.objects.get(code="equipements")
        self.varzy = CommuneFactory(
            code="58304", nom="Varzy", departement=monde.nievre, epci=monde.haut_nivernais
        )

    def prefecture(self, commune):
        return self.prefectures[commune.departement_id]

    def partenaire(self, code: str):
        """A national partner user of the organisation `code` (it records its lines
        anywhere, across départements)."""
        if code not in self.partenaires:
            self.partenaires[code] = _persona(
                f"agent@{code}.test",
                Role.PARTENAIRE,
                organisation=Organisation.objects.get(code=code),
            )
        return self.partenaires[code]

    # The journey ----------------------------------------------------------------------------

    def laureate(self, commune, deposee_le: date, decidee_le: date, region) -> None:
        prefecture = self.prefecture(commune)
        candidature = candidature_services.create_candidature(
            by=prefecture, communes=[commune], deposee_le=deposee_le
        )
        candidature_services.instruct_candidature(
            candidature=candidature, by=prefecture, avis=Avis.FAVORABLE
        )
        candidature_services.decide_candidature(
            candidature=candidature, by=region, retenue=True, decidee_le=decidee_le
        )

    def adhesion(self, communes, signee_le: date):
        prefecture = self.prefecture(communes[0])
        convention = convention_services.create_convention_adhesion(
            by=prefecture, communes=communes
        )
        return convention_services.sign_convention(
            convention=convention, by=prefecture, signee_le=signee_le, document=self.pdf()
        )

    # Pillar 1 -------------------------------------------------------------------------------

    def action(self, communes, type: str, created: datetime) -> Action:
        action = financement_services.create_action(
            by=self.prefecture(communes[0]),
            communes=communes,
            titre=f"{type} à {communes[0].nom}",
            orientation=self.orientation,
            type=type,
            etat="envisagee",
        )
        Action.objects.filter(pk=action.pk).update(created_at=created)
        return action

    def besoins(self, commune, recorded: date | None = None, **besoins) -> None:
        saved = ingenierie_services.save_besoins(
            by=self.prefecture(commune),
            commune=commune,
            chef_de_projet=besoins.get("chef_de_projet", False),
            etudes=besoins.get("etudes", False),
            investissements=besoins.get("investissements", False),
        )
        if recorded:
            recorded_on(saved, recorded)

    def poste(self, communes, *, adhesion=None, debut=None, fin=None, etat="occupe", **fields):
        """A post taken up on `debut` (occupé), left on `fin` (vacant); « en recrutement » or
        « à recruter » otherwise."""
        prefecture = self.prefecture(communes[0])
        poste = ingenierie_services.create_poste(
            by=prefecture,
            communes=communes,
            adhesion=adhesion,
            cout_annuel=Decimal("60000"),
            employeur_commune=communes[0],
            **fields,
        )
        if etat == "a_recruter":
            return poste
        poste = ingenierie_services.recruter(by=prefecture, poste=poste)
        if etat == "en_recrutement":
            return poste
        poste = ingenierie_services.pourvoir(
            by=prefecture, poste=poste, titulaire_nom="Camille Martin", debut=debut
        )
        if fin:
            poste = ingenierie_services.liberer(by=prefecture, poste=poste, fin=fin)
        return poste

    def vta(self, poste, debut: date, fin: date | None = None) -> None:
        ingenierie_services.create_vta(
            by=self.prefecture(poste.communes.first()),
            poste=poste,
            titulaire_nom="Alex Durand",
            debut=debut,
            fin=fin,
        )

    def soutien(self, code: str, communes, *, euros=None, jours=None, **fields) -> None:
        ingenierie_services.create_soutien(
            by=self.partenaire(code),
            organisation=Organisation.objects.get(code=code),
            communes=communes,
            nature="etude",
            objet=f"Soutien de {code}",
            montant_euros=Decimal(euros) if euros else None,
            nombre_jours=Decimal(jours) if jours else None,
            **fields,
        )

    # Pillar 2 -------------------------------------------------------------------------------

    def ligne(
        self,
        source: str,
        communes,
        demande: str,
        *,
        recorded: date | None = None,
        accorde: tuple[str, date] | None = None,
        refuse: date | None = None,
        verse: date | None = None,
    ) -> Financement:
        """A line requested (recorded on `recorded`, else today), then granted (amount, date)
        or refused, and paid in full."""
        source = SourceFinancement.objects.get(code=source)
        by = self.partenaire(Organisation.objects.get(pk=source.financeur_id).code)
        ligne = financement_services.create_financement(
            by=by,
            communes=communes,
            objet=f"{source} à {communes[0].nom}",
            annee=2021,
            montant_demande=Decimal(demande),
            source=source,
        )
        if accorde:
            montant, decide_le = accorde
            ligne = financement_services.accorder(
                by=by, financement=ligne, montant_accorde=Decimal(montant), decide_le=decide_le
            )
        if refuse:
            ligne = financement_services.refuser(by=by, financement=ligne, decide_le=refuse)
        if verse:
            financement_services.record_versement(
                by=by, financement=ligne, verse_le=verse, montant=ligne.montant_accorde
            )
        if recorded:
            recorded_on(ligne, recorded)
        return ligne

    def label(self, commune, type: str, debut: date, fin: date | None = None) -> None:
        financement_services.create_label(
            by=self.anct, commune=commune, type=type, debut=debut, fin=fin
        )


@pytest.fixture
def programme(
    monde, referentiel, anct, prefecture_58, prefecture_07, region_27, adhesion_signee, pdf
) -> Programme:
    p = Programme(monde, anct, prefecture_58, prefecture_07, region_27, pdf)
    clamecy, armes, chateau = monde.clamecy, monde.armes, monde.chateau_chinon
    saulieu, privas, varzy = monde.saulieu, monde.privas, p.varzy

    # Lauréates (Clamecy and Armes: `laureates`, retenues on 10 December 2020) and adhésions
    # (Clamecy and Armes: `adhesion_signee`, signed on 21 June 2021).
    p.laureate(chateau, date(2021, 1, 5), date(2021, 3, 1), region_27)
    p.laureate(privas, date(2020, 11, 15), date(2021, 1, 15), p.region_84)
    p.laureate(saulieu, date(2021, 11, 2), date(2022, 2, 1), region_27)
    p.adhesion([chateau], date(2021, 11, 10))
    p.adhesion([saulieu], date(2022, 3, 1))

    # Actions, counted from their creation (end of day in Paris).
    p.action([clamecy], "equipement_culturel", paris(date(2021, 5, 1)))
    p.action([clamecy], "opah_ru", paris(date(2021, 9, 1)))
    p.action([clamecy], "tiers_lieu", paris(date(2022, 1, 10)))
    p.action([armes], "opah", paris(date(2021, 7, 1)))
    p.action([armes], "equipement_sportif", paris(date(2022, 2, 1)))
    p.action([chateau], "equipement_culturel", paris(date(2021, 3, 15)))
    p.action([chateau], "opah", paris(date(2022, 5, 1)))
    p.action([chateau], "opah_ru", paris(date(2021, 10, 16), 0, 30))  # the day after J1
    p.action([clamecy, armes], "equipement_medico_social", paris(J1, 23, 30))  # J1, late
    p.action([saulieu], "tiers_lieu", paris(date(2021, 6, 1)))  # before it is lauréate
    p.action([privas], "opah_ru", paris(date(2021, 2, 1)))
    p.action([privas], "opah", paris(date(2021, 2, 1)))  # Privas has an OPAH once
    p.action([privas], "equipement_culturel", paris(date(2022, 3, 1)))
    p.action([varzy], "equipement_culturel", paris(date(2021, 1, 1)))  # not a PVD commune

    # Besoins: from the signature of their adhésion; Privas has none (from their recording).
    p.besoins(clamecy, chef_de_projet=True, etudes=True)
    p.besoins(armes, chef_de_projet=True, investissements=True)
    p.besoins(chateau, chef_de_projet=True, etudes=True, investissements=True)
    p.besoins(saulieu, etudes=True)
    p.besoins(privas, recorded=date(2021, 9, 1), chef_de_projet=True)
    p.besoins(varzy, recorded=date(2021, 1, 1), chef_de_projet=True)

    # Chefs de projet and VTA.
    poste_clamecy = p.poste([clamecy], debut=date(2021, 3, 1))
    poste_partage = p.poste(
        [clamecy, armes], adhesion=adhesion_signee, debut=date(2021, 9, 1), fin=date(2022, 1, 31)
    )
    p.poste([chateau], debut=date(2021, 11, 15))
    poste_privas = p.poste([privas], debut=date(2021, 2, 1), fin=J1)  # left on J1: counts
    poste_saulieu = p.poste([saulieu], debut=date(2022, 4, 1))
    p.poste([clamecy], etat="en_recrutement")
    p.poste([chateau], etat="a_recruter", debut=date(2021, 5, 1))  # a planned start only
    p.vta(poste_clamecy, date(2021, 9, 1), date(2022, 8, 31))
    p.vta(poste_partage, date(2021, 10, 16))
    p.vta(poste_privas, date(2021, 3, 1), J1)
    p.vta(poste_saulieu, date(2022, 5, 1))

    # Soutiens en ingénierie, from their start.
    p.soutien("anah", [clamecy, armes], euros="30000", debut=date(2021, 5, 1))
    p.soutien("anah", [clamecy, saulieu], euros="20000", debut=date(2021, 12, 1))
    p.soutien("cerema", [chateau], jours="12", debut=date(2021, 6, 1))
    p.soutien("bdt", [privas], euros="15000.50", debut=date(2021, 2, 1), etat="termine")
    p.soutien("anct", [clamecy], euros="8000", debut=date(2021, 7, 1), etat="abandonne")
    p.soutien("anct", [chateau], euros="5000", debut=date(2021, 8, 1), etat="envisage")
    p.soutien(
        "anct",
        [armes],
        euros="40000",
        debut=date(2021, 3, 1),
        mesure=Mesure.objects.get(code="chef-de-projet"),
    )
    p.soutien("bdt", [saulieu], euros="7000")  # no start date
    p.soutien("cerema", [clamecy], jours="3.5", debut=date(2022, 2, 1))
    p.soutien("anct", [clamecy], euros="10000", debut=J1)

    # DETR, DSIL, FNADT, Fonds friches: granted lines, from their decision.
    p.ligne("detr", [clamecy], "100000", accorde=("80000.10", date(2021, 6, 1)))
    p.ligne("detr", [chateau, saulieu], "50000", accorde=("50000", date(2022, 1, 15)))
    p.ligne("detr", [privas], "30000", accorde=("30000", J1), verse=date(2021, 12, 1))
    p.ligne("detr", [armes], "20000")  # requested only
    p.ligne("detr", [armes], "20000", refuse=date(2021, 9, 1))
    p.ligne("detr", [varzy], "10000", accorde=("10000", date(2021, 4, 1)))
    p.ligne("detr", [saulieu], "25000", accorde=("25000", date(2021, 9, 15)))
    p.ligne("dsil", [clamecy, armes], "200000", accorde=("200000", date(2021, 3, 1)))
    p.ligne("dsil", [saulieu], "6000", accorde=("5000.55", J2))
    p.ligne("fnadt", [privas], "12345.67", accorde=("12345.67", date(2021, 7, 1)))
    p.ligne("fonds-friches", [chateau], "600000", accorde=("500000", date(2021, 7, 20)))
    p.ligne("fonds-friches", [saulieu], "300000")
    p.ligne("fonds-friches", [privas], "250000", accorde=("250000", date(2022, 4, 1)))

    # The Banque des Territoires' commerce measures: requested from their recording (or their
    # decision, when it came first).
    p.ligne(
        "bdt-manager-commerce",
        [clamecy, armes],
        "40000",
        recorded=date(2021, 5, 1),
        accorde=("40000", date(2021, 7, 1)),
    )
    p.ligne(
        "bdt-manager-commerce",
        [privas],
        "40000",
        recorded=date(2021, 9, 1),
        refuse=date(2021, 12, 1),
    )
    p.ligne("bdt-manager-commerce", [saulieu], "40000", recorded=date(2022, 3, 1))
    p.ligne(
        "bdt-diagnostic-impact",
        [clamecy],
        "6000",
        recorded=date(2022, 1, 5),  # recorded after its decision
        accorde=("6000", date(2021, 10, 1)),
    )
    p.ligne("bdt-solution-numerique", [chateau], "3000")  # recorded today

    # Labels, in place from their start to their end, in PVD communes.
    p.label(clamecy, "france_services", date(2021, 1, 4))
    p.label(chateau, "france_services", date(2021, 5, 1), date(2021, 12, 31))
    p.label(saulieu, "france_services", date(2021, 3, 1))
    p.label(privas, "france_services", date(2022, 1, 1))
    p.label(armes, "france_services", date(2021, 6, 1), date(2021, 10, 14))
    p.label(clamecy, "conseiller_numerique", J1)
    p.label(clamecy, "conseiller_numerique", date(2022, 2, 1))
    p.label(varzy, "conseiller_numerique", date(2021, 1, 1))
    return p


EXPECTED = {
    # France on J1: 4 PVD communes (Clamecy, Armes, Château-Chinon, Privas).
    ("FR", J1): {
        "actions_equipements_pct": equipements(50.0, 50.0, 0.0),
        "tiers_lieu_pct": 0.0,
        "opah_pct": 75.0,  # Clamecy (RU), Armes, Privas (RU and simple: once)
        "opah_ru_pct": 50.0,
        "besoin_chef_projet_pct": 75.0,  # Clamecy, Armes, Privas (recorded in 2021)
        "besoin_etudes_pct": 25.0,
        "besoin_investissements_pct": 25.0,
        "chefs_projet_postes_occupes": 3,  # Clamecy, the shared one, Privas (left on J1)
        "vta": 2,
        "ingenierie_communes": 4,
        "ingenierie_montant": 55000.5,
        "ingenierie_par_partenaire": {
            ANAH: partenaire(2, 30000.0),
            ANCT: partenaire(1, 10000.0),
            BDT: partenaire(1, 15000.5),
            CEREMA: partenaire(1, jours=12.0),
        },
        "commerce_collectivites": 3,
        "commerce_montant": 46000.0,
        "managers_commerce": 2,  # Clamecy-Armes (granted), Privas (refused later)
        "commerce_par_mesure": mesure(
            {
                MANAGER: {"collectivites": 3, "demandes": 2, "montant": 40000.0},
                DIAGNOSTIC: {"collectivites": 1, "demandes": 1, "montant": 6000.0},
            }
        ),
        "friches_communes": 1,
        "friches_montant": 500000.0,
        "detr_communes": 4,  # Clamecy, Privas, Varzy, Saulieu (not yet PVD: a commune)
        "detr_montant": 145000.1,
        "dsil_communes": 2,
        "dsil_montant": 200000.0,  # shared by Clamecy and Armes: once
        "fnadt_communes": 1,
        "fnadt_montant": 12345.67,
        "france_services": 2,  # Clamecy, Château-Chinon (Saulieu not yet PVD)
        "conseillers_numeriques": 1,
    },
    # Région 27 on J1: 3 PVD communes (Clamecy, Armes, Château-Chinon).
    ("region:27", J1): {
        "actions_equipements_pct": equipements(66.7, 66.7, 0.0),
        "tiers_lieu_pct": 0.0,
        "opah_pct": 66.7,
        "opah_ru_pct": 33.3,
        "besoin_chef_projet_pct": 66.7,
        "besoin_etudes_pct": 33.3,
        "besoin_investissements_pct": 33.3,
        "chefs_projet_postes_occupes": 2,
        "vta": 1,
        "ingenierie_communes": 3,
        "ingenierie_montant": 40000.0,
        "ingenierie_par_partenaire": {
            ANAH: partenaire(2, 30000.0),
            ANCT: partenaire(1, 10000.0),
            CEREMA: partenaire(1, jours=12.0),
        },
        "commerce_collectivites": 2,
        "commerce_montant": 46000.0,
        "managers_commerce": 1,
        "commerce_par_mesure": mesure(
            {
                MANAGER: {"collectivites": 2, "demandes": 1, "montant": 40000.0},
                DIAGNOSTIC: {"collectivites": 1, "demandes": 1, "montant": 6000.0},
            }
        ),
        "friches_communes": 1,
        "friches_montant": 500000.0,
        "detr_communes": 3,
        "detr_montant": 115000.1,
        "dsil_communes": 2,
        "dsil_montant": 200000.0,
        "fnadt_communes": 0,
        "fnadt_montant": 0.0,
        "france_services": 2,
        "conseillers_numeriques": 1,
    },
    # The Nièvre on J1: the same 3 PVD communes; Saulieu's DETR line is out.
    ("departement:58", J1): {
        "actions_equipements_pct": equipements(66.7, 66.7, 0.0),
        "tiers_lieu_pct": 0.0,
        "opah_pct": 66.7,
        "opah_ru_pct": 33.3,
        "besoin_chef_projet_pct": 66.7,
        "besoin_etudes_pct": 33.3,
        "besoin_investissements_pct": 33.3,
        "chefs_projet_postes_occupes": 2,
        "vta": 1,
        "ingenierie_communes": 3,
        "ingenierie_montant": 40000.0,
        "ingenierie_par_partenaire": {
            ANAH: partenaire(2, 30000.0),
            ANCT: partenaire(1, 10000.0),
            CEREMA: partenaire(1, jours=12.0),
        },
        "commerce_collectivites": 2,
        "commerce_montant": 46000.0,
        "managers_commerce": 1,
        "commerce_par_mesure": mesure(
            {
                MANAGER: {"collectivites": 2, "demandes": 1, "montant": 40000.0},
                DIAGNOSTIC: {"collectivites": 1, "demandes": 1, "montant": 6000.0},
            }
        ),
        "friches_communes": 1,
        "friches_montant": 500000.0,
        "detr_communes": 2,
        "detr_montant": 90000.1,
        "dsil_communes": 2,
        "dsil_montant": 200000.0,
        "fnadt_communes": 0,
        "fnadt_montant": 0.0,
        "france_services": 2,
        "conseillers_numeriques": 1,
    },
    # France on J2: 5 PVD communes (Saulieu too).
    ("FR", J2): {
        "actions_equipements_pct": equipements(60.0, 40.0, 20.0),
        "tiers_lieu_pct": 40.0,
        "opah_pct": 80.0,
        "opah_ru_pct": 60.0,  # Clamecy, Château-Chinon, Privas
        "besoin_chef_projet_pct": 80.0,
        "besoin_etudes_pct": 60.0,
        "besoin_investissements_pct": 40.0,
        "chefs_projet_postes_occupes": 3,  # Clamecy, Château-Chinon, Saulieu
        "vta": 3,
        "ingenierie_communes": 5,
        "ingenierie_montant": 75000.5,
        "ingenierie_par_partenaire": {
            ANAH: partenaire(3, 50000.0),
            CEREMA: partenaire(2, jours=15.5),
            ANCT: partenaire(1, 10000.0),
            BDT: partenaire(1, 15000.5),
        },
        "commerce_collectivites": 4,
        "commerce_montant": 46000.0,
        "managers_commerce": 3,
        "commerce_par_mesure": mesure(
            {
                MANAGER: {"collectivites": 4, "demandes": 3, "montant": 40000.0},
                DIAGNOSTIC: {"collectivites": 1, "demandes": 1, "montant": 6000.0},
            }
        ),
        "friches_communes": 2,
        "friches_montant": 750000.0,
        "detr_communes": 5,
        "detr_montant": 195000.1,
        "dsil_communes": 3,
        "dsil_montant": 205000.55,  # Saulieu's line, decided on J2
        "fnadt_communes": 1,
        "fnadt_montant": 12345.67,
        "france_services": 3,  # Clamecy, Saulieu, Privas (Château-Chinon's closed)
        "conseillers_numeriques": 2,  # two at Clamecy
    },
    # Région 27 on J2: 4 PVD communes.
    ("region:27", J2): {
        "actions_equipements_pct": equipements(50.0, 50.0, 25.0),
        "tiers_lieu_pct": 50.0,
        "opah_pct": 75.0,
        "opah_ru_pct": 50.0,
        "besoin_chef_projet_pct": 75.0,
        "besoin_etudes_pct": 75.0,
        "besoin_investissements_pct": 50.0,
        "chefs_projet_postes_occupes": 3,
        "vta": 3,
        "ingenierie_communes": 4,
        "ingenierie_montant": 60000.0,
        "ingenierie_par_partenaire": {
            ANAH: partenaire(3, 50000.0),
            CEREMA: partenaire(2, jours=15.5),
            ANCT: partenaire(1, 10000.0),
        },
        "commerce_collectivites": 3,
        "commerce_montant": 46000.0,
        "managers_commerce": 2,
        "commerce_par_mesure": mesure(
            {
                MANAGER: {"collectivites": 3, "demandes": 2, "montant": 40000.0},
                DIAGNOSTIC: {"collectivites": 1, "demandes": 1, "montant": 6000.0},
            }
        ),
        "friches_communes": 1,
        "friches_montant": 500000.0,
        "detr_communes": 4,
        "detr_montant": 165000.1,
        "dsil_communes": 3,
        "dsil_montant": 205000.55,
        "fnadt_communes": 0,
        "fnadt_montant": 0.0,
        "france_services": 2,
        "conseillers_numeriques": 2,
    },
    # The Nièvre on J2: 3 PVD communes; lines shared with Saulieu count whole, Saulieu not.
    ("departement:58", J2): {
        "actions_equipements_pct": equipements(66.7, 66.7, 33.3),
        "tiers_lieu_pct": 33.3,
        "opah_pct": 100.0,
        "opah_ru_pct": 66.7,
        "besoin_chef_projet_pct": 100.0,
        "besoin_etudes_pct": 66.7,
        "besoin_investissements_pct": 66.7,
        "chefs_projet_postes_occupes": 2,
        "vta": 2,
        "ingenierie_communes": 3,
        "ingenierie_montant": 60000.0,
        "ingenierie_par_partenaire": {
            ANAH: partenaire(2, 50000.0),
            CEREMA: partenaire(2, jours=15.5),
            ANCT: partenaire(1, 10000.0),
        },
        "commerce_collectivites": 2,
        "commerce_montant": 46000.0,
        "managers_commerce": 1,
        "commerce_par_mesure": mesure(
            {
                MANAGER: {"collectivites": 2, "demandes": 1, "montant": 40000.0},
                DIAGNOSTIC: {"collectivites": 1, "demandes": 1, "montant": 6000.0},
            }
        ),
        "friches_communes": 1,
        "friches_montant": 500000.0,
        "detr_communes": 3,
        "detr_montant": 140000.1,
        "dsil_communes": 2,
        "dsil_montant": 200000.0,
        "fnadt_communes": 0,
        "fnadt_montant": 0.0,
        "france_services": 1,
        "conseillers_numeriques": 2,
    },
}


@pytest.mark.parametrize(("perimetre", "jour"), list(EXPECTED))
def test_every_indicator_on_a_programme_built_by_hand(programme, perimetre, jour):
    valeurs = calculer(Contexte(Perimetre.parse(perimetre), jour), cles=CLES)

    assert valeurs == EXPECTED[perimetre, jour]


def test_partners_come_by_number_of_communes_then_by_name(programme):
    valeurs = calculer(Contexte(FRANCE, J2), cles=["ingenierie_par_partenaire"])

    assert list(valeurs["ingenierie_par_partenaire"]) == [ANAH, CEREMA, ANCT, BDT]


def test_amounts_are_json_numbers_with_two_decimals(programme):
    valeurs = calculer(Contexte(FRANCE, J2), cles=CLES)

    montants = [valeurs[cle] for cle in CLES if REGISTRE[cle].unite == Unite.EUROS]
    assert all(type(montant) is float for montant in montants)
    assert valeurs["dsil_montant"] == 205000.55


def test_an_empty_programme_gives_zeros(monde, referentiel):
    valeurs = calculer(Contexte(NIEVRE, J1), cles=CLES)

    assert valeurs["actions_equipements_pct"] == equipements(0.0, 0.0, 0.0)
    assert valeurs["ingenierie_par_partenaire"] == {}
    assert valeurs["commerce_par_mesure"] == mesure({})
    assert {cle: valeurs[cle] for cle in CLES if REGISTRE[cle].unite != Unite.REPARTITION} == {
        cle: 0.0 if REGISTRE[cle].unite in (Unite.EUROS, Unite.POURCENTAGE) else 0
        for cle in CLES
        if REGISTRE[cle].unite != Unite.REPARTITION
    }


def test_every_indicator_is_declared_with_its_section_and_money_is_not_public():
    sections = {
        Section.PROJETS,
        Section.BESOINS,
        Section.INGENIERIE,
        Section.THEMATIQUES,
        Section.FINANCEMENT,
    }
    assert {REGISTRE[cle].section for cle in CLES} == sections
    prive = {cle for cle in CLES if not REGISTRE[cle].public}
    assert prive == {
        "ingenierie_montant",
        "ingenierie_par_partenaire",
        "commerce_montant",
        "commerce_par_mesure",
        "friches_montant",
        "detr_montant",
        "dsil_montant",
        "fnadt_montant",
    }


def _more_of_everything(p: Programme) -> None:
    """Twice the rows of every kind, and a new partner and a new measure in use."""
    monde = p.monde
    for commune in (monde.clamecy, monde.armes, monde.chateau_chinon):
        p.action([commune], "equipement_sportif", paris(date(2021, 4, 1)))
        p.action([commune], "tiers_lieu", paris(date(2021, 4, 1)))
        poste = p.poste([commune], debut=date(2021, 6, 1))
        p.vta(poste, date(2021, 7, 1))
        p.soutien("mte", [commune], euros="9000", debut=date(2021, 4, 1))
        p.soutien("cerema", [commune], jours="2", debut=date(2021, 4, 1))
        p.ligne("dsil", [commune], "1000", accorde=("1000", date(2021, 4, 1)))
        p.ligne("fnadt", [commune], "1000", accorde=("1000", date(2021, 4, 1)))
        p.ligne(
            "bdt-ingenierie-numerique",
            [commune],
            "1000",
            recorded=date(2021, 4, 1),
            accorde=("1000", date(2021, 5, 1)),
        )
        p.label(commune, "france_services", date(2021, 4, 1))
        p.label(commune, "conseiller_numerique", date(2021, 4, 1))
    BesoinsExprimes.objects.filter(commune=p.varzy).delete()


@pytest.mark.parametrize("perimetre", [FRANCE, BFC, NIEVRE])
def test_the_number_of_queries_does_not_grow_with_the_data(
    programme, perimetre, django_assert_num_queries
):
    # 9 queries of the groups, and the count of PVD communes that the context shares.
    with django_assert_num_queries(10):
        before = calculer(Contexte(perimetre, J1), cles=CLES)
    _more_of_everything(programme)

    with django_assert_num_queries(10):
        after = calculer(Contexte(perimetre, J1), cles=CLES)

    assert after["chefs_projet_postes_occupes"] > before["chefs_projet_postes_occupes"]
    assert len(after["ingenierie_par_partenaire"]) > len(before["ingenierie_par_partenaire"])
