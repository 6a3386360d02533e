"""Open data (`pvd.views.opendata`): the dashboard's public figures of France, each région and
each département, as CSV (UTF-8 with BOM, `;`, decimal commas) and JSON, equal to what the
dashboard computes, public indicators only (never money), computed once a day; and the page
documenting every column of every file with the licence."""

import csv
import io
import json
import re
from datetime import date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communes.perimetre import NATIONAL, Perimetre
from pvd.indicateurs import REGISTRE, Contexte, Unite, calculer
from pvd.views import opendata

CSV_URL = reverse("opendata_tableau_de_bord_csv")
JSON_URL = reverse("opendata_tableau_de_bord_json")
PUBLIQUES = [cle for cle, indicateur in REGISTRE.items() if indicateur.public]


def lire_csv(response) -> list[dict]:
    texte = response.content.decode("utf-8")
    assert texte.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(texte.removeprefix("\ufeff")), delimiter=";"))


def nombre(texte: str) -> float | None:
    """A cell back as a number (empty: an unknown value, None in the dashboard)."""
    return float(texte.replace(",", ".")) if texte else None


@pytest.fixture
def webinaire(anct):
    """A Club webinar held on 12 October 2021 (thématique seeded by a data migration)."""
    from club import services
    from club.models import Thematique

    debut = timezone.make_aware(datetime(2021, 10, 12, 10, 0))
    evenement = services.create_evenement(
        by=anct,
        type="webinaire",
        titre="Le Fonds friches",
        thematique=Thematique.objects.get_or_create(
            code="habitat", defaults={"libelle": "Habitat"}
        )[0],
        debut=debut,
        fin=debut + timedelta(hours=1),
        lien="https://webinaire.example.org/pvd-friches",
    )
    return services.publier_evenement(evenement=evenement, by=anct)


@pytest.fixture
def donnees(adhesion_signee, webinaire):
    """Two lauréates of the Nièvre with a signed adhésion, a Club webinar."""


def test_the_csv_opens_in_french_excel(client, donnees):
    response = client.get(CSV_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # the BOM
    premiere_ligne = response.content.decode("utf-8-sig").split("\r\n")[0]
    assert premiere_ligne.split(";") == list(opendata.COLONNES_TABLEAU)


def test_every_perimeter_is_in_the_csv(client, donnees):
    lignes = lire_csv(client.get(CSV_URL))

    perimetres = {(ligne["perimetre"], ligne["code"], ligne["libelle"]) for ligne in lignes}
    assert perimetres == {
        ("france", "", "France"),
        ("region", "27", "Bourgogne-Franche-Comté"),
        ("region", "84", "Auvergne-Rhône-Alpes"),
        ("departement", "07", "Ardèche"),
        ("departement", "21", "Côte-d'Or"),
        ("departement", "58", "Nièvre"),
    }
    assert {ligne["date"] for ligne in lignes} == {timezone.localdate().isoformat()}


@pytest.mark.parametrize(
    ("niveau", "code", "perimetre", "communes_pvd"),
    [
        ("france", "", NATIONAL, 2),
        ("departement", "58", Perimetre(departements=frozenset({"58"})), 2),
        ("region", "84", Perimetre(regions=frozenset({"84"})), 0),
    ],
)
def test_the_csv_values_are_the_dashboard_s(client, donnees, niveau, code, perimetre, communes_pvd):
    attendu = calculer(Contexte(perimetre, timezone.localdate()), PUBLIQUES)

    lignes = [
        ligne
        for ligne in lire_csv(client.get(CSV_URL))
        if ligne["perimetre"] == niveau and ligne["code"] == code
    ]

    scalaires = {ligne["cle"]: ligne for ligne in lignes if not ligne["categorie"]}
    for cle, valeur in attendu.items():
        unite = REGISTRE[cle].unite
        if unite == Unite.REPARTITION:
            categories = {
                ligne["categorie"]: nombre(ligne["valeur"])
                for ligne in lignes
                if ligne["cle"] == cle
            }
            assert categories == valeur, cle
        elif unite == Unite.SERIE:
            mois = {
                ligne["categorie"]: nombre(ligne["valeur"])
                for ligne in lignes
                if ligne["cle"] == cle
            }
            assert mois == {point["mois"]: point["communes"] for point in valeur}, cle
        else:
            assert nombre(scalaires[cle]["valeur"]) == valeur, cle
            assert scalaires[cle]["unite"] == unite.value
            assert scalaires[cle]["indicateur"] == REGISTRE[cle].libelle
    assert attendu["communes_pvd"] == communes_pvd


def test_decimals_are_written_with_a_comma(client, donnees):
    lignes = lire_csv(client.get(CSV_URL))

    moyenne = next(
        ligne
        for ligne in lignes
        if ligne["cle"] == "communes_par_convention_moyenne" and ligne["code"] == "58"
    )
    assert moyenne["valeur"] == "2,0"


def test_only_public_indicators_are_published_never_money(client, donnees):
    cles_csv = {ligne["cle"] for ligne in lire_csv(client.get(CSV_URL))}
    contenu = client.get(JSON_URL).json()

    assert cles_csv == set(PUBLIQUES)
    assert [indicateur["cle"] for indicateur in contenu["indicateurs"]] == PUBLIQUES
    for territoire in contenu["perimetres"]:
        assert list(territoire["valeurs"]) == PUBLIQUES
    prives = {cle for cle, indicateur in REGISTRE.items() if not indicateur.public}
    assert prives
    assert not prives & cles_csv
    assert all(REGISTRE[cle].unite != Unite.EUROS for cle in cles_csv)


def test_the_json_values_are_the_dashboard_s(client, donnees):
    response = client.get(JSON_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    contenu = json.loads(response.content)
    assert contenu["licence"] == "Licence Ouverte 2.0 (Etalab)"
    assert contenu["date"] == timezone.localdate().isoformat()
    par_code = {(t["perimetre"], t["code"]): t for t in contenu["perimetres"]}
    assert len(par_code) == 6
    nievre = par_code[("departement", "58")]
    assert nievre["libelle"] == "Nièvre"
    attendu = calculer(Contexte(Perimetre(departements=frozenset({"58"})), timezone.localdate()))
    assert nievre["valeurs"] == {cle: attendu[cle] for cle in PUBLIQUES}
    assert "Nièvre".encode() in response.content  # UTF-8, not \u escapes


def test_the_figures_are_computed_once_a_day(client, donnees, django_assert_max_num_queries):
    client.get(CSV_URL)

    with django_assert_max_num_queries(0):
        client.get(CSV_URL)
        client.get(JSON_URL)
    # Another day: computed again.
    with CaptureQueriesContext(connection) as queries:
        jour, chiffres = opendata.chiffres_du_jour(date(2021, 10, 15))
    assert jour == date(2021, 10, 15)
    assert len(queries) > 10
    nievre = next(t for t in chiffres if t["code"] == "58")
    assert nievre["valeurs"]["communes_pvd"] == 2


def test_the_figures_of_the_day_are_kept_even_when_the_data_changes(client, donnees, webinaire):
    avant = client.get(JSON_URL).json()["perimetres"][0]["valeurs"]["club_webinaires"]
    webinaire.delete()  # nothing else holds it

    assert avant == 1
    assert client.get(JSON_URL).json()["perimetres"][0]["valeurs"]["club_webinaires"] == 1
    cache.clear()  # the next day
    assert client.get(JSON_URL).json()["perimetres"][0]["valeurs"]["club_webinaires"] == 0


# The page ---------------------------------------------------------------------------------------


def colonnes_documentees(html: str) -> set[str]:
    return set(re.findall(r"<td><code>([^<]+)</code></td>", html))


def test_the_page_documents_every_column_of_every_file(client, donnees):
    html = client.get(reverse("opendata")).text
    communes = client.get(reverse("conventions:opendata_communes")).content.decode("utf-8-sig")
    tableau = client.get(CSV_URL).content.decode("utf-8-sig")
    cles_json = client.get(JSON_URL).json()

    documentees = colonnes_documentees(html)
    assert set(communes.splitlines()[0].split(",")) <= documentees
    assert set(tableau.splitlines()[0].split(";")) <= documentees
    assert set(cles_json) <= {cle.strip() for entree in documentees for cle in entree.split(",")}
    assert set(PUBLIQUES) <= documentees  # the values of `cle`
    for indicateur in REGISTRE.values():
        if indicateur.public:
            assert indicateur.definition in html


def test_the_page_states_the_licence_and_links_every_file(client, db):
    html = client.get(reverse("opendata")).text

    assert "Licence Ouverte 2.0 (Etalab)" in html
    assert "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" in html
    for url in (CSV_URL, JSON_URL, reverse("conventions:opendata_communes")):
        assert f'href="{url}"' in html


def test_the_public_list_links_to_the_page(client, db):
    assert f'href="{reverse("opendata")}"' in client.get(reverse("conventions:public_list")).text
