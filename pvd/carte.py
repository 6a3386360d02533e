"""An accessible SVG choropleth map of the 101 départements (no app imports here).

`departements_svg` colours each département by the class of its value (a percentage by default)
and returns an inline `<svg role="group">` with a `<title>` per département ("Nièvre (58) :
87,3 %");
`contexte` also builds what `templates/components/carte_departements.html` needs (legend and the
data table that is the map's text alternative).

Base map: `pvd/data/departements.geojson`, simplified boundaries of the départements (WGS84,
generalised from IGN Admin Express, overseas départements moved next to mainland France), source
"ANCT — data.gouv.fr, Licence Ouverte 2.0"; whoever shows the map cites it (`SOURCE`).
"""

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

GEOJSON = Path(__file__).resolve().parent / "data" / "departements.geojson"
SOURCE = "ANCT — data.gouv.fr, Licence Ouverte 2.0"

LARGEUR = 600  # width of the viewBox; its height follows from the projection
MARGE = 2  # keeps the border strokes at the edges inside the viewBox


@dataclass(frozen=True)
class Classe:
    """A class of the legend: from `minimum` (included) to `maximum` (excluded, but the last class
    of a list includes its maximum, so that 100 % has a class)."""

    minimum: float
    maximum: float
    couleur: str
    libelle: str


# The DSFR blue-france illustrative colours, light to dark (the darkest one is the brand blue).
CLASSES_POURCENTAGE = (
    Classe(0, 20, "#e3e3fd", "De 0 à moins de 20\u202f%"),
    Classe(20, 40, "#cacafb", "De 20 à moins de 40\u202f%"),
    Classe(40, 60, "#8585f6", "De 40 à moins de 60\u202f%"),
    Classe(60, 80, "#6a6af4", "De 60 à moins de 80\u202f%"),
    Classe(80, 100, "#000091", "De 80 à 100\u202f%"),
)
# A neutral grey whose lightness falls in the gap between the 2nd and 3rd blues, so that it is told
# apart from every class even without seeing hues. It has no interval: NaN bounds match no value.
PAS_DE_DONNEE = Classe(math.nan, math.nan, "#b0b0b0", "Pas de donnée")


class _Trace(NamedTuple):
    nom: str
    d: str  # SVG path data


class _Fond(NamedTuple):
    largeur: int
    hauteur: int
    traces: dict[str, _Trace]  # by INSEE code, in code order ("01" … "19", "2A", "2B", "21" …)


@functools.cache
def fond_de_carte() -> _Fond:
    """The départements read from the GeoJSON and projected, once per process."""
    collection = json.loads(GEOJSON.read_text(encoding="utf-8"))
    polygones = {}  # code -> list of polygons -> list of rings -> list of (lon, lat)
    noms = {}
    for feature in collection["features"]:
        code = feature["properties"]["insee_dep"]
        # French typography: the apostrophe people read is ’ ("Côte-d’Or").
        noms[code] = feature["properties"]["lib_dep"].replace("'", "’")
        geometrie = feature["geometry"]
        if geometrie["type"] == "Polygon":
            polygones[code] = [geometrie["coordinates"]]
        else:
            polygones[code] = geometrie["coordinates"]

    points = [point for p in polygones.values() for poly in p for ring in poly for point in ring]
    lon_min = min(lon for lon, _ in points)
    lon_max = max(lon for lon, _ in points)
    lat_min = min(lat for _, lat in points)
    lat_max = max(lat for _, lat in points)
    # Equirectangular projection: a degree of longitude is cos(latitude) degree of latitude long,
    # taken at the map's middle latitude; y grows southwards in SVG.
    aplatissement = math.cos(math.radians((lat_min + lat_max) / 2))
    echelle = (LARGEUR - 2 * MARGE) / ((lon_max - lon_min) * aplatissement)
    hauteur = math.ceil((lat_max - lat_min) * echelle + 2 * MARGE)

    def projette(lon: float, lat: float) -> str:
        x = MARGE + (lon - lon_min) * aplatissement * echelle
        y = MARGE + (lat_max - lat) * echelle
        return f"{_coordonnee(x)},{_coordonnee(y)}"

    traces = {}
    for code in sorted(polygones):
        anneaux = []
        for polygone in polygones[code]:
            for anneau in polygone:
                sommets = []
                for lon, lat in anneau:
                    sommet = projette(lon, lat)
                    if not sommets or sommet != sommets[-1]:  # rounding merges close points
                        sommets.append(sommet)
                if len(sommets) > 1 and sommets[-1] == sommets[0]:
                    sommets.pop()  # "Z" closes the ring
                if len(sommets) >= 3:  # an islet smaller than the rounding is not drawn
                    anneaux.append(f"M{sommets[0]}L{' '.join(sommets[1:])}Z")
        traces[code] = _Trace(nom=noms[code], d="".join(anneaux))
    return _Fond(largeur=LARGEUR, hauteur=hauteur, traces=traces)


def _coordonnee(valeur: float) -> str:
    """One decimal, without a useless ".0" (the SVG stays small)."""
    texte = f"{valeur:.1f}"
    return texte[:-2] if texte.endswith(".0") else texte


def legende(classes: list[Classe] | None = None) -> list[Classe]:
    """The legend of a map drawn with `classes` (the percentage classes when None), followed by
    the "pas de donnée" class."""
    return [*(CLASSES_POURCENTAGE if classes is None else classes), PAS_DE_DONNEE]


def classe_de(valeur: float | None, classes: list[Classe]) -> Classe:
    """The class of `valeur` ("pas de donnée" for None).

    `classes` are contiguous and in increasing order; a value on a boundary belongs to the upper
    class, except the maximum of the last class, which belongs to it. A value outside every class
    is a bug of the caller: ValueError.
    """
    if valeur is None:
        return PAS_DE_DONNEE
    for classe in classes:
        if classe.minimum <= valeur < classe.maximum:
            return classe
    if classes and valeur == classes[-1].maximum:
        return classes[-1]
    raise ValueError(f"La valeur {valeur} n’appartient à aucune classe de la légende.")


def departements_svg(
    valeurs: dict[str, float | None],
    *,
    titre: str,
    liens: dict[str, str] | None = None,
    classes: list[Classe] | None = None,
    libelles: dict[str, str] | None = None,
) -> SafeString:
    """The map as an inline `<svg>`, each département filled with the colour of its value's class.

    `valeurs` maps INSEE codes of départements ("01", "2A", "971") to values of `classes` (the
    percentage classes by default); a missing code or None is "pas de donnée", a code that is not
    a département is a ValueError. `liens` gives the URL a département links to, `libelles`
    overrides the names of the GeoJSON. `titre` names the image; it also makes its ids, so two
    maps of one page need two titles.

    The SVG is a `role="group"` named by its title: an image (`role="img"`) may not hold links
    (WCAG 4.1.2, axe-core's `nested-interactive`). The links stay out of the tab order: the
    keyboard's way to the values and links is the data table of
    `components/carte_departements.html`.
    """
    fond = fond_de_carte()
    if inconnus := sorted(set(valeurs) - set(fond.traces)):
        raise ValueError(f"Codes de département inconnus : {', '.join(inconnus)}.")
    classes = list(CLASSES_POURCENTAGE) if classes is None else classes
    liens = liens or {}
    libelles = libelles or {}
    titre_id = f"{identifiant(titre)}-titre"

    morceaux = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {fond.largeur} {fond.hauteur}"'
        f' role="group" aria-labelledby="{titre_id}" class="pvd-carte__svg"'
        ' style="display:block;width:100%;max-width:40rem;height:auto">',
        f'<title id="{titre_id}">{escape(titre)}</title>',
        '<g stroke="#fff" stroke-width=".5" stroke-linejoin="round" fill-rule="evenodd">',
    ]
    for code, trace in fond.traces.items():
        valeur = valeurs.get(code)
        info = f"{libelles.get(code, trace.nom)} ({code})\xa0: {_pourcentage(valeur)}"
        path = (
            f'<path data-code="{escape(code)}" fill="{escape(classe_de(valeur, classes).couleur)}"'
            f' d="{trace.d}"><title>{escape(info)}</title></path>'
        )
        if url := liens.get(code):
            path = f'<a href="{escape(url)}" tabindex="-1">{path}</a>'
        morceaux.append(path)
    morceaux.append("</g></svg>")
    return mark_safe("".join(morceaux))  # every injected text is escaped above


def contexte(
    valeurs: dict[str, float | None],
    *,
    titre: str,
    unite_libelle: str,
    liens: dict[str, str] | None = None,
    classes: list[Classe] | None = None,
    libelles: dict[str, str] | None = None,
) -> dict:
    """The context of `components/carte_departements.html` (same arguments as `departements_svg`;
    `unite_libelle` heads the value column of the data table)."""
    liens = liens or {}
    libelles = libelles or {}
    return {
        "carte_svg": departements_svg(
            valeurs, titre=titre, liens=liens, classes=classes, libelles=libelles
        ),
        "carte_legende": legende(classes),
        "carte_lignes": [
            {
                "code": code,
                "nom": libelles.get(code, trace.nom),
                "valeur": valeurs.get(code),
                "url": liens.get(code),
            }
            for code, trace in fond_de_carte().traces.items()
        ],
        "carte_titre": titre,
        "carte_unite_libelle": unite_libelle,
    }


def identifiant(titre: str) -> str:
    """The prefix of the map's HTML ids; the template computes the same with `|slugify`."""
    return f"carte-{slugify(titre)}"


def _pourcentage(valeur: float | None) -> str:
    # `floatformat` rounds and localises exactly as the template's data table does ("87,3").
    if valeur is None:
        return "pas de donnée"
    return f"{floatformat(valeur, 1)}\u202f%"
