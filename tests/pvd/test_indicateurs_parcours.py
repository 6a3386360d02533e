"""The journey's indicators (pvd/indicateurs/parcours.py) on a programme built by hand through
the services, for France, région 27 and the Nièvre, before and after some signatures: every
value is asserted. The dataset, on the small France of tests/conftest.py plus four communes of
the Nièvre:

| commune (dépt)      | lauréate   | adhésion, signée le, comité, CD/CR | ORT                    |
| ------------------- | ---------- | ---------------------------------- | ---------------------- |
| Privas (07)         | 15/12/2020 | A4 02/04/2021, non renseigné, CD   | hors cadre 10/07/2019  |
| Clamecy (58)        | 10/12/2020 | A1 20/05/2021, maires + EPCI, CD   | cadre 01/02/2022       |
| Armes (58)          | 10/12/2020 | A1                                 | hors cadre 15/09/2021  |
| Oisy (58)           | 10/12/2020 | A1                                 | hors cadre 2020, cadre |
| Corbigny (58)       | 01/02/2021 | A6 10/06/2021, unique, CR          |                        |
| Lormes (58)         | 01/02/2021 | A5 en préparation                  |                        |
| Château-Chinon (58) | 15/03/2021 | A2 05/11/2021, maires, CD et CR    | hors cadre 01/06/2022  |
| Saulieu (21)        | 01/09/2021 | A3 10/01/2022, maires + EPCI, CR   |                        |
| Varzy (58)          | candidate  |                                    | hors cadre 01/01/2019  |

The convention-cadre of A1 (Clamecy, Oisy; habitat, commerce) is signed on 01/02/2022; the one
of A4 (Privas; numérique) is never signed. Actions (recorded on): habitat for Armes
(01/03/2021) and Varzy (01/01/2021), équipements for Saulieu (01/06/2021), culture-tourisme for
Privas (05/05/2021), commerce for Clamecy, Château-Chinon and Corbigny (15/01/2022), espaces
publics for Lormes (31/03/2022 at 23:30 in Paris), numérique for Armes (01/04/2022 at 00:30 in
Paris), mobilités for Privas (01/06/2022).
"""

from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communes.enums import Role
from communes.models import User
from communes.perimetre import Perimetre
from conventions.enums import Avis, OrigineOrt, PresidenceComite
from conventions.models import Orientation
from conventions.services import candidatures as candidature_services
from conventions.services import conventions as convention_services
from financements import services as financement_services
from financements.models import Action
from pvd.indicateurs import REGISTRE, Contexte, Section, calculer, parcours
from pvd.indicateurs import contexte as contexte_module
from tests.factories import CommuneFactory, HabilitationFactory, UserFactory
from tests.fixtures_parcours import pdf_bytes

GROUPES = (parcours.deploiement, parcours.conventions, parcours.orientations)
CLES = [cle for groupe in GROUPES for cle in groupe.cles]

AVANT = date(2021, 6, 30)  # before A2, A3, the cadre, Saulieu's selection
APRES = date(2022, 3, 31)

FRANCE = Perimetre(national=True)
BFC = Perimetre(regions=frozenset({"27"}))
NIEVRE = Perimetre(departements=frozenset({"58"}))

ME, M, U = PresidenceComite.MAIRES_EPCI, PresidenceComite.MAIRES, PresidenceComite.UNIQUE


def paris(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def prefecture_21(monde) -> User:
    user = UserFactory(email="pref21@cote-dor.gouv.fr")
    HabilitationFactory(user=user, role=Role.PREFECTURE, departement=monde.cote_dor)
    return User.objects.get(pk=user.pk)


class Programme:
    """Writes the journey through the services, as the préfectures would."""

    def __init__(self, prefectures: dict[str, User]):
        self.prefectures = prefectures

    def prefecture(self, communes) -> User:
        return self.prefectures[communes[0].departement_id]

    def laureates(self, communes, deposee_le: date, decidee_le: date | None):
        by = self.prefecture(communes)
        candidature = candidature_services.create_candidature(
            by=by, communes=communes, deposee_le=deposee_le
        )
        if decidee_le is None:
            return candidature
        candidature_services.instruct_candidature(
            candidature=candidature, by=by, avis=Avis.FAVORABLE, instruite_le=deposee_le
        )
        return candidature_services.decide_candidature(
            candidature=candidature, by=by, retenue=True, decidee_le=decidee_le
        )

    def adhesion(self, communes, signee_le: date | None, presidence="", cd=False, cr=False):
        by = self.prefecture(communes)
        convention = convention_services.create_convention_adhesion(
            by=by,
            communes=communes,
            presidence_comite=presidence,
            cosignataire_conseil_departemental=cd,
            cosignataire_conseil_regional=cr,
        )
        return self.sign(convention, signee_le)

    def cadre(self, adhesion, communes, orientations, signee_le: date | None):
        convention = convention_services.create_convention_cadre(
            by=self.prefecture(communes),
            adhesion=adhesion,
            communes=communes,
            orientations=Orientation.objects.filter(code__in=orientations),
        )
        return self.sign(convention, signee_le)

    def sign(self, convention, signee_le: date | None):
        if signee_le is None:
            return convention
        return convention_services.sign_convention(
            convention=convention,
            by=self.prefecture(list(convention.communes.all())),
            signee_le=signee_le,
            document=SimpleUploadedFile("signee.pdf", pdf_bytes(), "application/pdf"),
        )

    def ort(self, commune, signee_le: date, origine=OrigineOrt.ANTERIEURE):
        return convention_services.record_ort_hors_cadre(
            by=self.prefecture([commune]), commune=commune, signee_le=signee_le, origine=origine
        )

    def action(self, communes, orientation: str, recorded_at: datetime):
        action = financement_services.create_action(
            by=self.prefecture(communes),
            communes=communes,
            titre=f"Action {orientation}",
            orientation=Orientation.objects.get(code=orientation),
            type="autre",
            etat="envisagee",
        )
        # Recorded on that day: the services date it now, the dashboard reads the date.
        Action.objects.filter(pk=action.pk).update(created_at=recorded_at)
        return action


@pytest.fixture
def programme(monde, orientations, prefecture_58, prefecture_07, prefecture_21) -> Programme:
    return Programme({"58": prefecture_58, "07": prefecture_07, "21": prefecture_21})


@pytest.fixture
def parcours_pvd(monde, programme):
    """The dataset of the module's docstring."""
    nievre = monde.nievre
    oisy = CommuneFactory(code="58199", nom="Oisy", departement=nievre, epci=monde.haut_nivernais)
    corbigny = CommuneFactory(code="58083", nom="Corbigny", departement=nievre)
    lormes = CommuneFactory(code="58145", nom="Lormes", departement=nievre, epci=monde.morvan)
    varzy = CommuneFactory(code="58304", nom="Varzy", departement=nievre)
    clamecy, armes, chinon = monde.clamecy, monde.armes, monde.chateau_chinon
    saulieu, privas = monde.saulieu, monde.privas
    p = programme

    p.laureates([clamecy, armes, oisy], date(2020, 11, 2), date(2020, 12, 10))
    p.laureates([privas], date(2020, 11, 2), date(2020, 12, 15))
    p.laureates([corbigny, lormes], date(2021, 1, 5), date(2021, 2, 1))
    p.laureates([chinon], date(2021, 1, 5), date(2021, 3, 15))
    p.laureates([saulieu], date(2021, 5, 3), date(2021, 9, 1))
    p.laureates([varzy], date(2021, 1, 10), None)  # still a candidate

    a1 = p.adhesion([clamecy, armes, oisy], date(2021, 5, 20), ME, cd=True)
    a4 = p.adhesion([privas], date(2021, 4, 2), "", cd=True)
    p.adhesion([corbigny], date(2021, 6, 10), U, cr=True)
    p.adhesion([chinon], date(2021, 11, 5), M, cd=True, cr=True)
    p.adhesion([saulieu], date(2022, 1, 10), ME, cr=True)
    p.adhesion([lormes], None, ME, cd=True, cr=True)

    p.cadre(a1, [clamecy, oisy], ["habitat", "commerce"], date(2022, 2, 1))
    p.cadre(a4, [privas], ["numerique"], None)
    p.ort(privas, date(2019, 7, 10))
    p.ort(oisy, date(2020, 3, 1))
    p.ort(armes, date(2021, 9, 15), OrigineOrt.LISTE_NATIONALE)
    p.ort(chinon, date(2022, 6, 1))
    p.ort(varzy, date(2019, 1, 1))

    p.action([armes], "habitat", paris(2021, 3, 1, 10))
    p.action([varzy], "habitat", paris(2021, 1, 1, 10))
    p.action([saulieu], "equipements", paris(2021, 6, 1, 10))
    p.action([privas], "culture-tourisme", paris(2021, 5, 5, 10))
    p.action([clamecy, chinon, corbigny], "commerce", paris(2022, 1, 15, 10))
    p.action([lormes], "espaces-publics", paris(2022, 3, 31, 23, 30))
    p.action([armes], "numerique", paris(2022, 4, 1, 0, 30))
    p.action([privas], "mobilites", paris(2022, 6, 1, 10))


def orientations_(**communes) -> dict:
    """Every orientation's label, in order, with its number of communes (0 unless given)."""
    return {
        o.libelle: communes.pop(o.code.replace("-", "_"), 0)
        for o in Orientation.objects.order_by("ordre")
    }


def serie(debut: str, cumuls: list[int]) -> list[dict]:
    year, month = map(int, debut.split("-"))
    points = []
    for cumul in cumuls:
        points.append({"mois": f"{year}-{month:02d}", "communes": cumul})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return points


ATTENDU = {
    (FRANCE, AVANT): lambda: {
        "communes_pvd": 7,
        "communes_adhesion_signee": 5,
        "communes_adhesion_signee_pct": 71.4,
        "conventions_adhesion_signees": 3,
        "communes_ort": 2,  # Privas, Oisy (outside a convention-cadre)
        "communes_ort_pct": 28.6,
        "serie_communes_adhesion": serie("2021-04", [1, 4, 5]),
        "communes_par_convention_moyenne": 1.7,  # 5 / 3
        "conventions_adhesion_analysees": 2,  # A4's comité is not recorded
        "comites_projet_copresides_pct": 50.0,
        "copresidence_maires_epci_pct": 100.0,
        "copresidence_maires_pct": 0.0,
        "communes_cd_cosignataire_pct": 57.1,  # Clamecy, Armes, Oisy, Privas / 7
        "communes_cr_cosignataire_pct": 14.3,  # Corbigny / 7
        # Saulieu's équipements: not a lauréate yet; Varzy: never.
        "orientations": orientations_(habitat=1, culture_tourisme=1),
    },
    (BFC, AVANT): lambda: {
        "communes_pvd": 6,
        "communes_adhesion_signee": 4,
        "communes_adhesion_signee_pct": 66.7,
        "conventions_adhesion_signees": 2,
        "communes_ort": 1,
        "communes_ort_pct": 16.7,
        "serie_communes_adhesion": serie("2021-05", [3, 4]),
        "communes_par_convention_moyenne": 2.0,
        "conventions_adhesion_analysees": 2,
        "comites_projet_copresides_pct": 50.0,
        "copresidence_maires_epci_pct": 100.0,
        "copresidence_maires_pct": 0.0,
        "communes_cd_cosignataire_pct": 50.0,
        "communes_cr_cosignataire_pct": 16.7,
        "orientations": orientations_(habitat=1),
    },
    (NIEVRE, AVANT): lambda: {
        "communes_pvd": 6,
        "communes_adhesion_signee": 4,
        "communes_adhesion_signee_pct": 66.7,
        "conventions_adhesion_signees": 2,
        "communes_ort": 1,
        "communes_ort_pct": 16.7,
        "serie_communes_adhesion": serie("2021-05", [3, 4]),
        "communes_par_convention_moyenne": 2.0,
        "conventions_adhesion_analysees": 2,
        "comites_projet_copresides_pct": 50.0,
        "copresidence_maires_epci_pct": 100.0,
        "copresidence_maires_pct": 0.0,
        "communes_cd_cosignataire_pct": 50.0,
        "communes_cr_cosignataire_pct": 16.7,
        "orientations": orientations_(habitat=1),
    },
    (FRANCE, APRES): lambda: {
        "communes_pvd": 8,
        "communes_adhesion_signee": 7,
        "communes_adhesion_signee_pct": 87.5,
        "conventions_adhesion_signees": 5,
        # + Armes (outside a cadre), Clamecy (cadre); Oisy counts once; Château-Chinon later.
        "communes_ort": 4,
        "communes_ort_pct": 50.0,
        "serie_communes_adhesion": serie("2021-04", [1, 4, 5, 5, 5, 5, 5, 6, 6, 7, 7, 7]),
        "communes_par_convention_moyenne": 1.4,
        "conventions_adhesion_analysees": 4,
        "comites_projet_copresides_pct": 75.0,
        "copresidence_maires_epci_pct": 66.7,
        "copresidence_maires_pct": 33.3,
        "communes_cd_cosignataire_pct": 62.5,
        "communes_cr_cosignataire_pct": 37.5,
        # Clamecy has commerce twice (cadre and action): counted once. Privas' numérique
        # cadre is unsigned; Armes' numérique and Privas' mobilités come after the day.
        "orientations": orientations_(
            habitat=3, commerce=4, espaces_publics=1, equipements=1, culture_tourisme=1
        ),
    },
    (BFC, APRES): lambda: {
        "communes_pvd": 7,
        "communes_adhesion_signee": 6,
        "communes_adhesion_signee_pct": 85.7,
        "conventions_adhesion_signees": 4,
        "communes_ort": 3,
        "communes_ort_pct": 42.9,
        "serie_communes_adhesion": serie("2021-05", [3, 4, 4, 4, 4, 4, 5, 5, 6, 6, 6]),
        "communes_par_convention_moyenne": 1.5,
        "conventions_adhesion_analysees": 4,
        "comites_projet_copresides_pct": 75.0,
        "copresidence_maires_epci_pct": 66.7,
        "copresidence_maires_pct": 33.3,
        "communes_cd_cosignataire_pct": 57.1,
        "communes_cr_cosignataire_pct": 42.9,
        "orientations": orientations_(habitat=3, commerce=4, espaces_publics=1, equipements=1),
    },
    (NIEVRE, APRES): lambda: {
        "communes_pvd": 6,
        "communes_adhesion_signee": 5,
        "communes_adhesion_signee_pct": 83.3,
        "conventions_adhesion_signees": 3,
        "communes_ort": 3,
        "communes_ort_pct": 50.0,
        "serie_communes_adhesion": serie("2021-05", [3, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5]),
        "communes_par_convention_moyenne": 1.7,
        "conventions_adhesion_analysees": 3,
        "comites_projet_copresides_pct": 66.7,
        "copresidence_maires_epci_pct": 50.0,
        "copresidence_maires_pct": 50.0,
        "communes_cd_cosignataire_pct": 66.7,
        "communes_cr_cosignataire_pct": 33.3,
        "orientations": orientations_(habitat=3, commerce=4, espaces_publics=1),
    },
}


@pytest.mark.parametrize(
    ("perimetre", "jour"),
    list(ATTENDU),
    ids=[f"{perimetre.param}-{jour}" for perimetre, jour in ATTENDU],
)
def test_every_value_for_each_perimeter_at_two_dates(parcours_pvd, perimetre, jour):
    valeurs = calculer(Contexte(perimetre, jour), cles=CLES)

    assert valeurs == ATTENDU[perimetre, jour]()
    assert list(valeurs["orientations"]) == [o.libelle for o in Orientation.objects.all()]


def test_the_series_stops_at_the_day_not_at_the_end_of_its_month(parcours_pvd):
    # A1 is signed on 20 May 2021: not yet on the 10th.
    valeurs = calculer(Contexte(FRANCE, date(2021, 5, 10)), cles=["serie_communes_adhesion"])

    assert valeurs["serie_communes_adhesion"] == serie("2021-04", [1, 1])


def test_a_perimeter_without_lauréate_gives_zeros_not_errors(parcours_pvd):
    # The Côte-d'Or before Saulieu's selection: nothing to divide by.
    valeurs = calculer(Contexte(Perimetre(departements=frozenset({"21"})), AVANT), cles=CLES)

    assert valeurs == {
        "communes_pvd": 0,
        "communes_adhesion_signee": 0,
        "communes_adhesion_signee_pct": 0.0,
        "conventions_adhesion_signees": 0,
        "communes_ort": 0,
        "communes_ort_pct": 0.0,
        "serie_communes_adhesion": [],
        "communes_par_convention_moyenne": 0.0,
        "conventions_adhesion_analysees": 0,
        "comites_projet_copresides_pct": 0.0,
        "copresidence_maires_epci_pct": 0.0,
        "copresidence_maires_pct": 0.0,
        "communes_cd_cosignataire_pct": 0.0,
        "communes_cr_cosignataire_pct": 0.0,
        "orientations": orientations_(),
    }


def test_before_any_signature_the_series_is_empty(parcours_pvd):
    valeurs = calculer(Contexte(FRANCE, date(2021, 3, 14)), cles=CLES)

    assert valeurs["serie_communes_adhesion"] == []
    assert valeurs["communes_adhesion_signee"] == 0
    assert valeurs["communes_pvd"] == 6  # Château-Chinon is chosen the next day
    assert valeurs["communes_ort"] == 2  # Privas, Oisy: before the programme


def test_the_indicators_are_public_and_described(parcours_pvd):
    for cle in CLES:
        indicateur = REGISTRE[cle]
        assert indicateur.public, cle
        assert indicateur.section in (Section.DEPLOIEMENT, Section.CONVENTIONS, Section.PROJETS)
        assert "date" in indicateur.definition or "jour" in indicateur.definition, cle


# Query counts ----------------------------------------------------------------------------------


def _queries(perimetre: Perimetre, jour: date) -> int:
    with CaptureQueriesContext(connection) as queries:
        calculer(Contexte(perimetre, jour), cles=CLES)
    return len(queries)


def _more(monde, programme, n: int) -> None:
    """`n` more lauréates of the Nièvre, each with a signed adhésion, a signed cadre with two
    orientations, an ORT outside the cadre and two actions."""
    for i in range(n):
        commune = CommuneFactory(code=f"58{500 + i}", nom=f"Commune {i}", departement=monde.nievre)
        programme.laureates([commune], date(2021, 1, 4), date(2021, 2, 1 + i % 20))
        adhesion = programme.adhesion(
            [commune], date(2021, 3 + i % 9, 1), [ME, M, U, ""][i % 4], cd=i % 2 == 0, cr=i % 3 == 0
        )
        programme.cadre(adhesion, [commune], ["habitat", "mobilites"], date(2022, 1, 3))
        programme.ort(commune, date(2020, 1, 1 + i % 20))
        programme.action([commune], "numerique", paris(2021, 7, 1, 10))
        programme.action([commune], "commerce", paris(2021, 8, 1, 10))


@pytest.mark.parametrize("perimetre", [FRANCE, BFC, NIEVRE], ids=lambda p: p.param)
def test_a_fixed_number_of_queries_whatever_the_data(parcours_pvd, monde, programme, perimetre):
    few = _queries(perimetre, APRES)
    _more(monde, programme, 12)

    # France: the adhésions, the conventions, the orientations (two); a territory reads the
    # codes of its PVD communes first.
    assert _queries(perimetre, APRES) == few == (4 if perimetre.national else 5)
    # The added data is read (the count is not constant because nothing was found).
    assert calculer(Contexte(perimetre, APRES), cles=["communes_pvd"])["communes_pvd"] > 12


@pytest.mark.parametrize("perimetre", [BFC, NIEVRE], ids=lambda p: p.param)
def test_a_territory_gives_the_same_figures_by_its_codes_or_by_subquery(
    parcours_pvd, programme, perimetre, monkeypatch
):
    par_codes = Contexte(perimetre, APRES)
    valeurs = calculer(par_codes)
    monkeypatch.setattr(contexte_module, "LISTE_MAX", 1)
    par_sous_requete = Contexte(perimetre, APRES)

    assert par_codes.codes_pvd is not None
    assert par_sous_requete.codes_pvd is None
    assert calculer(par_sous_requete) == valeurs
