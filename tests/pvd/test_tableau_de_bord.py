"""The national dashboard: its JSON (`/api/v1/tableau-de-bord/`) and its page, scoped by the
user's perimeter (`pvd.indicateurs.acces`), figures compared with the previous published note."""

import json
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conventions.enums import Avis
from conventions.services import candidatures as candidature_services
from conventions.services import conventions as convention_services
from pvd.indicateurs import REGISTRE, Unite
from pvd.models import NoteSuivi
from tests.factories import CommuneFactory, UserFactory

API = reverse("api:tableau_de_bord")
PAGE = reverse("tableau_de_bord")
JOUR = "2021-10-15"
PUBLIQUES = [cle for cle, indicateur in REGISTRE.items() if indicateur.public]


@pytest.fixture
def donnees(referentiel, adhesion_signee):
    """Clamecy and Armes (Nièvre), lauréates on 10 December 2020, signed their adhésion on 21
    June 2021."""
    return adhesion_signee


# The JSON -------------------------------------------------------------------------------------


@pytest.mark.parametrize("perimetre", ["FR", "region:27", "departement:58", "departement:07"])
def test_the_anct_reads_every_indicator_of_any_perimeter(as_persona, donnees, perimetre):
    response = as_persona("anct").get(API, {"perimetre": perimetre, "date": JOUR})

    assert response.status_code == 200
    body = response.json()
    assert body["perimetre"] == perimetre
    assert body["date"] == JOUR
    assert list(body["indicateurs"]) == list(REGISTRE)


def test_the_values_are_those_of_the_perimeter_at_the_date(as_persona, donnees):
    client = as_persona("anct")

    def valeurs(perimetre, jour):
        response = client.get(API, {"perimetre": perimetre, "date": jour})
        return response.json()["indicateurs"]

    assert valeurs("departement:58", JOUR)["communes_pvd"] == 2
    assert valeurs("departement:58", JOUR)["communes_adhesion_signee"] == 2
    assert valeurs("departement:58", "2021-06-20")["communes_adhesion_signee"] == 0
    assert valeurs("departement:07", JOUR)["communes_pvd"] == 0
    assert valeurs("region:27", JOUR)["communes_pvd"] == 2


def test_without_parameters_it_is_france_today(as_persona, donnees):
    body = as_persona("prefecture_58").get(API).json()

    assert body["perimetre"] == "FR"
    assert body["date"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("persona", "perimetre", "status"),
    [
        ("prefecture_58", "departement:58", 200),
        ("prefecture_58", "FR", 200),
        ("prefecture_07", "departement:58", 404),
        ("prefecture_58", "region:27", 404),
        ("region_27", "region:27", 200),
        ("region_27", "departement:58", 200),
        ("region_27", "departement:21", 200),
        ("region_27", "region:84", 404),
        ("region_27", "departement:07", 404),
        ("commune_clamecy", "FR", 200),
        ("commune_clamecy", "departement:58", 404),
        ("partenaire", "departement:07", 200),  # a partner without a territory works nationally
        ("anct", "departement:99", 404),  # no such département
        ("anonyme", "departement:58", 404),
    ],
)
def test_a_territory_outside_the_users_perimeter_is_404(
    as_persona, donnees, persona, perimetre, status
):
    response = as_persona(persona).get(API, {"perimetre": perimetre, "date": JOUR})

    assert response.status_code == status
    if status == 404:
        assert response.json() == {"detail": "Ce territoire n’est pas dans votre périmètre."}


def test_the_prefecture_of_another_departement_gets_404(as_persona, donnees):
    response = as_persona("prefecture_07").get(API, {"perimetre": "departement:58"})

    assert response.status_code == 404


def test_anonymous_visitors_read_france_public_indicators_only(client, donnees):
    response = client.get(API, {"date": JOUR})

    assert response.status_code == 200
    indicateurs = response.json()["indicateurs"]
    assert list(indicateurs) == PUBLIQUES
    assert indicateurs["communes_pvd"] == 2
    assert [cle for cle in indicateurs if REGISTRE[cle].unite == Unite.EUROS] == []
    assert not any("montant" in cle for cle in indicateurs)


def test_a_user_without_habilitation_reads_like_the_public(client, donnees):
    client.force_login(UserFactory(email="personne@example.org"))

    response = client.get(API, {"date": JOUR})

    assert list(response.json()["indicateurs"]) == PUBLIQUES


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"perimetre": "commune:58079"}, "Périmètre « commune:58079 » inconnu"),
        ({"perimetre": "region:"}, "Périmètre « region: » inconnu"),
        ({"date": "15/10/2021"}, "Date « 15/10/2021 » invalide : écrivez-la AAAA-MM-JJ."),
        ({"date": "2021-02-30"}, "Date « 2021-02-30 » invalide"),
    ],
)
def test_bad_parameters_get_400_with_a_french_detail(as_persona, params, detail):
    response = as_persona("anct").get(API, params)

    assert response.status_code == 400
    assert response.json()["detail"].startswith(detail)


def test_a_future_date_gets_400(client, monde):
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.get(API, {"date": tomorrow.isoformat()})

    assert response.status_code == 400
    assert "dans le futur" in response.json()["detail"]


def test_the_openapi_schema_documents_the_endpoint(client, db):
    response = client.get(reverse("api:schema"), {"format": "json"})

    operation = response.json()["paths"]["/api/v1/tableau-de-bord/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"perimetre", "date"}
    assert set(operation["responses"]) == {"200", "400", "401", "404", "406"}


# The page -------------------------------------------------------------------------------------


def test_the_anct_sees_france_by_section_and_drills_down(as_persona, donnees):
    response = as_persona("anct").get(PAGE, {"date": JOUR})

    assert response.status_code == 200
    text = response.text
    assert response.context["perimetre"] == "FR"
    sections = [bloc.section for bloc in response.context["blocs"]]
    for section in sections:
        assert f">{section.value}</h2>" in text
    assert sections == sorted(sections, key=list(type(sections[0])).index)  # seed 001's order
    assert "Tableau de bord — France entière</h1>" in text
    assert "15 octobre 2021" in text
    # Drill down: the régions link to their dashboard at the same date.
    assert 'href="/tableau-de-bord/?perimetre=region%3A27&amp;date=2021-10-15"' in text
    assert "France entière :" not in text  # no national column beside France itself


def test_the_prefecture_sees_its_departement_beside_france(as_persona, donnees):
    response = as_persona("prefecture_58").get(PAGE, {"date": JOUR})

    assert response.status_code == 200
    assert response.context["perimetre"] == "departement:58"
    chiffres = {c.indicateur.cle: c for b in response.context["blocs"] for c in b.chiffres}
    assert chiffres["communes_pvd"].valeur == "2"
    assert chiffres["communes_pvd"].national == "2"
    assert "Tableau de bord — Nièvre</h1>" in response.text
    assert "France entière : <strong>" in response.text
    # Its picker offers France and its département only.
    assert response.context["regions"] == []
    assert response.context["departements"] == [("departement:58", "58 – Nièvre")]


def test_the_region_sees_its_region_and_its_departements(as_persona, donnees):
    response = as_persona("region_27").get(PAGE, {"date": JOUR})

    assert response.status_code == 200
    assert response.context["perimetre"] == "region:27"
    sous_territoires = response.context["sous_territoires"]
    assert [t["nom"] for t in sous_territoires] == ["58 – Nièvre"]
    assert sous_territoires[0]["url"] == (
        "/tableau-de-bord/?perimetre=departement%3A58&date=2021-10-15"
    )


@pytest.mark.parametrize(
    ("persona", "perimetre", "status"),
    [
        ("prefecture_58", "departement:07", 404),
        ("region_27", "region:84", 404),
        ("anct", "departement:07", 200),
        ("commune_clamecy", "FR", 200),
    ],
)
def test_the_page_is_scoped_like_the_json(as_persona, donnees, persona, perimetre, status):
    response = as_persona(persona).get(PAGE, {"perimetre": perimetre, "date": JOUR})

    assert response.status_code == status


def test_anonymous_visitors_are_asked_to_log_in(client, monde):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("connexion"))


def test_a_user_without_habilitation_is_refused(client, monde):
    client.force_login(UserFactory(email="personne@example.org"))

    assert client.get(PAGE).status_code == 403


def test_bad_parameters_are_told_in_french_and_replaced(as_persona, monde):
    tomorrow = timezone.localdate() + timedelta(days=1)
    client = as_persona("prefecture_58")

    bad = client.get(PAGE, {"perimetre": "commune:58079", "date": "hier"})
    future = client.get(PAGE, {"date": tomorrow.isoformat()})

    assert bad.status_code == 200
    assert "Périmètre « commune:58079 » inconnu" in bad.text
    assert "Date « hier » invalide" in bad.text
    assert bad.context["perimetre"] == "departement:58"  # its own territory
    assert bad.context["date"] == timezone.localdate()
    assert future.context["date"] == timezone.localdate()
    assert "Les chiffres d’une date future sont ceux du jour." in future.text


def test_each_figure_shows_its_change_since_the_previous_published_note(as_persona, donnees):
    NoteSuivi.objects.create(
        perimetre="departement:58",
        date=date(2021, 7, 15),
        etat="prete",
        valeurs={"communes_pvd": 1, "communes_adhesion_signee_pct": 6.4},
    )
    # Neither a note still being prepared, nor another perimeter's, nor a later one counts.
    NoteSuivi.objects.create(perimetre="departement:58", date=date(2021, 9, 1), etat="en_cours")
    NoteSuivi.objects.create(
        perimetre="FR", date=date(2021, 9, 1), etat="prete", valeurs={"communes_pvd": 5}
    )
    NoteSuivi.objects.create(
        perimetre="departement:58",
        date=date(2021, 12, 1),
        etat="prete",
        valeurs={"communes_pvd": 9},
    )

    response = as_persona("prefecture_58").get(PAGE, {"date": JOUR})

    text = response.text
    assert "Contre 1 en juillet 2021" in text
    assert "Contre 6,4\u00a0% en juillet 2021" in text
    assert "celle du 15 juillet 2021" in text
    chiffres = {c.indicateur.cle: c for b in response.context["blocs"] for c in b.chiffres}
    assert chiffres["communes_pvd"].sens == 1
    # A figure the note did not hold is compared with nothing.
    assert chiffres["conventions_adhesion_signees"].evolution is None


def test_without_a_previous_note_nothing_is_compared(as_persona, donnees):
    response = as_persona("anct").get(PAGE, {"date": JOUR})

    chiffres = [c for b in response.context["blocs"] for c in b.chiffres]
    assert chiffres
    assert all(c.evolution is None for c in chiffres)
    assert " en juillet 2021" not in response.text


def test_every_chart_is_followed_by_its_data_table(as_persona, donnees):
    response = as_persona("anct").get(PAGE, {"date": JOUR})

    text = response.text
    graphiques = [g for b in response.context["blocs"] for g in b.graphiques]
    cles = {g.indicateur.cle for g in graphiques}
    assert "serie_communes_adhesion" in cles
    assert cles >= {cle for cle, i in REGISTRE.items() if i.unite == Unite.REPARTITION}
    for graphique in graphiques:
        start = text.index(f'id="graphique-{graphique.indicateur.cle}"')
        if not graphique.lignes:  # nothing at that date (no partner supported anyone yet)
            assert "Aucune donnée à cette date." in text[start : start + 2000]
            continue
        fragment = text[start : text.index("</table>", start)]
        if not graphique.vide:
            assert re.search(r"<(bar|pie|line)-chart ", fragment)
        assert f"<caption>{graphique.indicateur.libelle}</caption>" in fragment
    # The monthly series as a line chart, its table month by month in French.
    serie = next(g for g in graphiques if g.indicateur.cle == "serie_communes_adhesion")
    assert "<line-chart " in text
    assert ["Juin 2021", "2"] in serie.lignes
    assert ["Octobre 2021", "2"] in serie.lignes
    # The map, its data table.
    assert 'class="pvd-carte__svg"' in text
    assert "Données de la carte" in text


def test_the_dashboard_is_in_the_navigation_of_users_with_a_perimeter(as_persona, monde):
    assert f'href="{PAGE}"' not in as_persona("anonyme").get(reverse("index")).text
    assert f'href="{PAGE}"' in as_persona("prefecture_58").get(reverse("accueil")).text


# Queries --------------------------------------------------------------------------------------


def _laureate_signee(commune, prefecture, region, pdf):
    candidature = candidature_services.create_candidature(
        by=prefecture, communes=[commune], deposee_le=date(2021, 1, 4)
    )
    candidature_services.instruct_candidature(
        candidature=candidature, by=prefecture, avis=Avis.FAVORABLE, commentaire=""
    )
    candidature_services.decide_candidature(
        candidature=candidature, by=region, retenue=True, decidee_le=date(2021, 2, 1)
    )
    convention = convention_services.create_convention_adhesion(
        by=prefecture, communes=[commune], presidence_comite="maires_epci"
    )
    convention_services.sign_convention(
        convention=convention, by=prefecture, signee_le=date(2021, 5, 3), document=pdf()
    )


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("persona", "url", "perimetre"),
    [
        ("anct", PAGE, "FR"),
        ("prefecture_58", PAGE, "departement:58"),
        ("anct", API, "FR"),
        ("region_27", API, "region:27"),
    ],
)
def test_the_cost_does_not_grow_with_the_data(
    as_persona, donnees, prefecture_58, region_27, monde, pdf, persona, url, perimetre
):
    client = as_persona(persona)
    params = {"perimetre": perimetre, "date": JOUR}
    few = _queries(client, url, params)
    for n in range(6):
        commune = CommuneFactory(departement=monde.nievre, nom=f"Bourg {n}")
        _laureate_signee(commune, prefecture_58, region_27, pdf)

    assert client.get(API, params).json()["indicateurs"]["communes_pvd"] == 8
    assert _queries(client, url, params) == few


def test_a_chart_draws_the_ten_largest_categories_and_its_table_gives_them_all():
    from pvd.views.tableau_de_bord import _repartition

    valeur = {f"Partenaire {n:02}": {"communes": n, "montant": 1000 * n} for n in range(12)}

    graphique = _repartition(REGISTRE["ingenierie_par_partenaire"], valeur)

    assert json.loads(graphique.x) == [[f"Partenaire {n:02}" for n in range(11, 1, -1)]]
    assert json.loads(graphique.y) == [list(range(11, 1, -1))]
    assert graphique.tronque
    assert (graphique.dessines, graphique.total) == (10, 12)
    assert graphique.colonnes == ["Partenaire", "Communes", "Montant"]
    assert graphique.lignes[0] == ["Partenaire 11", "11", "11\u00a0000\u00a0€"]
    assert len(graphique.lignes) == 12


def test_a_long_category_is_cut_in_the_chart_and_whole_in_its_table():
    from pvd.views.tableau_de_bord import _repartition

    nom = "Fédération nationale des conseils d’architecture, d’urbanisme et de l’environnement"
    valeur = {nom: {"communes": 22, "montant": 251_626}, "Cerema": {"communes": 25}}

    graphique = _repartition(REGISTRE["ingenierie_par_partenaire"], valeur)

    dessin = json.loads(graphique.x)[0]
    assert dessin[0] == "Cerema"
    assert dessin[1] == "Fédération nationale des conseils d’arc…"
    assert len(dessin[1]) == 40
    assert [ligne[0] for ligne in graphique.lignes] == ["Cerema", nom]
