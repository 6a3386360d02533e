"""The SVG map of the départements (pvd.carte) and its template fragment."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from unittest import mock

import pytest
from django.template.loader import render_to_string

from pvd import carte
from pvd.carte import CLASSES_POURCENTAGE, PAS_DE_DONNEE, Classe

SVG = "{http://www.w3.org/2000/svg}"
TITRE = "Part des communes ayant signé leur convention d’adhésion"


def _svg(valeurs=None, **kwargs) -> ET.Element:
    return ET.fromstring(carte.departements_svg(valeurs or {}, titre=TITRE, **kwargs))


def _path(racine: ET.Element, code: str) -> ET.Element:
    (path,) = [p for p in racine.iter(f"{SVG}path") if p.get("data-code") == code]
    return path


def test_every_departement_is_one_path_of_an_svg_that_parses():
    racine = _svg()

    codes = [path.get("data-code") for path in racine.iter(f"{SVG}path")]
    assert len(codes) == len(set(codes)) == 101
    assert {"01", "2A", "2B", "58", "95", "971", "972", "973", "974", "976"} <= set(codes)
    for path in racine.iter(f"{SVG}path"):
        assert re.fullmatch(r"(M[\d.,]+L[\d., ]+Z)+", path.get("d")), path.get("data-code")


def test_the_svg_is_an_image_named_by_its_title():
    racine = _svg()

    assert racine.get("role") == "group"
    (titre,) = [
        t for t in racine.findall(f"{SVG}title") if t.get("id") == racine.get("aria-labelledby")
    ]
    assert titre.text == TITRE
    assert racine.get("viewBox") == "0 0 600 576"


def test_the_projection_keeps_north_up_and_everything_inside_the_viewbox():
    racine = _svg()
    _, _, largeur, hauteur = map(float, racine.get("viewBox").split())

    def ys(code):
        return [float(y) for y in re.findall(r"[\d.]+,([\d.]+)", _path(racine, code).get("d"))]

    for path in racine.iter(f"{SVG}path"):
        for x, y in re.findall(r"([\d.]+),([\d.]+)", path.get("d")):
            assert 0 <= float(x) <= largeur
            assert 0 <= float(y) <= hauteur
    assert max(ys("59")) < min(ys("66"))  # Nord above Pyrénées-Orientales
    assert min(ys("59")) == pytest.approx(2, abs=0.1)  # Nord touches the top margin


@pytest.mark.parametrize(
    ("valeur", "couleur"),
    [
        (0, "#e3e3fd"),
        (19.9, "#e3e3fd"),
        (20, "#cacafb"),
        (59.99, "#8585f6"),
        (79.9, "#6a6af4"),
        (80, "#000091"),
        (100, "#000091"),
        (None, PAS_DE_DONNEE.couleur),
    ],
)
def test_a_departement_is_filled_with_the_colour_of_its_class(valeur, couleur):
    racine = _svg({"58": valeur})

    assert _path(racine, "58").get("fill") == couleur
    assert _path(racine, "21").get("fill") == PAS_DE_DONNEE.couleur  # missing: no data


def test_classe_de_puts_boundaries_in_the_upper_class_and_100_in_the_last():
    classes = list(CLASSES_POURCENTAGE)

    assert carte.classe_de(0, classes) is classes[0]
    assert carte.classe_de(40, classes) is classes[2]
    assert carte.classe_de(100, classes) is classes[-1]
    assert carte.classe_de(None, classes) is PAS_DE_DONNEE


@pytest.mark.parametrize("valeur", [-0.1, 100.1])
def test_a_value_outside_the_classes_is_an_error(valeur):
    with pytest.raises(ValueError, match="aucune classe"):
        carte.classe_de(valeur, list(CLASSES_POURCENTAGE))


def test_custom_classes_colour_the_map_and_make_the_legend():
    classes = [Classe(0, 1, "#ffffff", "Non"), Classe(1, 2, "#000000", "Oui")]

    racine = _svg({"58": 1, "21": 0}, classes=classes)

    assert _path(racine, "58").get("fill") == "#000000"
    assert _path(racine, "21").get("fill") == "#ffffff"
    assert carte.legende(classes) == [*classes, PAS_DE_DONNEE]
    assert carte.legende() == [*CLASSES_POURCENTAGE, PAS_DE_DONNEE]


def test_titles_write_numbers_the_french_way():
    racine = _svg({"58": 87.3, "21": 12.25, "07": 100})

    def titre(code):
        return _path(racine, code).find(f"{SVG}title").text

    assert titre("58") == "Nièvre (58)\xa0: 87,3\u202f%"
    assert titre("21") == "Côte-d’Or (21)\xa0: 12,3\u202f%"  # rounded like |floatformat
    assert titre("07") == "Ardèche (07)\xa0: 100,0\u202f%"
    assert titre("971") == "Guadeloupe (971)\xa0: pas de donnée"


def test_links_wrap_the_paths_they_are_given_for():
    url = "/territoires/departements/58/?vue=carte&annee=2021"

    svg = carte.departements_svg({}, titre=TITRE, liens={"58": url})

    assert "?vue=carte&amp;annee=2021" in svg
    (lien,) = ET.fromstring(svg).iter(f"{SVG}a")
    assert lien.get("href") == url
    assert [path.get("data-code") for path in lien] == ["58"]


def test_injected_texts_are_escaped():
    svg = carte.departements_svg(
        {}, titre="Titre <b>gras</b>", libelles={"58": "<script>alert('x')</script>"}
    )

    assert "<script>" not in svg
    assert "<b>" not in svg
    assert "&lt;script&gt;" in svg
    racine = ET.fromstring(svg)
    assert _path(racine, "58").find(f"{SVG}title").text.startswith("<script>alert('x')</script>")


def test_an_unknown_code_is_an_error_rather_than_a_silent_grey():
    with pytest.raises(ValueError, match="inconnus : 1, 975"):
        carte.departements_svg({"1": 50, "975": 10, "01": 50}, titre=TITRE)


def test_the_geojson_is_read_once():
    carte.fond_de_carte.cache_clear()
    with mock.patch.object(Path, "read_text", autospec=True, side_effect=Path.read_text) as lu:
        carte.departements_svg({"58": 10}, titre=TITRE)
        carte.departements_svg({"58": 90}, titre=TITRE)
        carte.contexte({}, titre=TITRE, unite_libelle="Part")

    lu.assert_called_once()
    assert lu.call_args.args[0] == carte.GEOJSON


def test_the_svg_stays_small():
    svg = carte.departements_svg(dict.fromkeys(carte.fond_de_carte().traces, 50.0), titre=TITRE)

    assert len(svg.encode()) < 80_000


def test_the_template_renders_the_map_the_legend_and_the_data_table():
    contexte = carte.contexte(
        {"58": 87.3, "21": 12.25, "2A": None},
        titre=TITRE,
        unite_libelle="Part des communes PVD ayant signé leur convention d’adhésion",
        liens={"58": "/territoires/departements/58/"},
    )

    html = render_to_string("components/carte_departements.html", contexte)

    assert html.count('<path data-code="') == 101  # the SVG, not escaped
    for classe in carte.legende():
        assert f'fill="{classe.couleur}" stroke="#666"/></svg>{classe.libelle}' in html
    assert (
        'aria-controls="carte-part-des-communes-ayant-signe-leur-convention-dadhesion-donnees"'
        in html
    )
    assert 'id="carte-part-des-communes-ayant-signe-leur-convention-dadhesion-donnees"' in html
    assert "Données de la carte" in html
    assert "Licence Ouverte 2.0" in html
    lignes = re.findall(r"<tr>\s*(.*?)\s*</tr>", html, re.DOTALL)
    assert len(lignes) == 1 + 101  # header and one row per département
    cellules = {
        re.search(r'pvd-codes">(\w+)<', ligne)[1]: re.sub(r"\s+", " ", ligne)
        for ligne in lignes[1:]
    }
    assert '<a href="/territoires/departements/58/">Nièvre</a>' in cellules["58"]
    assert "87,3&#8239;%" in cellules["58"]
    assert "<td>Côte-d’Or</td>" in cellules["21"]
    assert "12,3&#8239;%" in cellules["21"]
    assert (
        '<span aria-hidden="true">—</span><span class="fr-sr-only">pas de donnée</span>'
        in (cellules["2A"])
    )
