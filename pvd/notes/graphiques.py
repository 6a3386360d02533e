"""The note's charts, drawn as SVG with matplotlib and embedded as `data:` URIs.

Text stays text in the SVG (`svg.fonttype: none`): WeasyPrint sets it in Marianne, the font of
the note, and the figures can be read and searched in the PDF. Matplotlib lays the text out with
the same font's metrics: it reads TrueType, not WOFF, so the DSFR's Marianne is converted once
into a cache folder. No pyplot (no global state, safe in a worker's threads).
"""

from __future__ import annotations

import base64
import io
import os
import tempfile
import textwrap
from collections.abc import Sequence
from datetime import date
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders

from pvd.text import euros, nombre

# The DSFR's colours: bleu France, then illustrative colours for the other series.
BLEU = "#000091"
BLEU_CLAIR = "#8585F6"
GRIS = "#666666"
GRIS_CLAIR = "#DDDDDD"
TEXTE = "#161616"

MOIS_COURTS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]
LARGEUR_CM = 17.0  # the text width of an A4 page with the note's margins
LIGNE_ETIQUETTE = 42  # characters per line of a bar's label
CM = 1 / 2.54


@cache
def _marianne() -> list[str]:
    """Register the DSFR's Marianne with matplotlib (converted from WOFF to TrueType, once per
    machine: written under a temporary name, then moved, so that two workers never read half a
    file). Returns the family names to use, DejaVu Sans as a fallback when it is missing."""
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    folder = Path(tempfile.gettempdir()) / "pvd-polices"
    folder.mkdir(exist_ok=True)
    for style in ("Regular", "Bold"):
        source = finders.find(f"dsfr/dist/fonts/Marianne-{style}.woff")
        if source is None:
            return ["DejaVu Sans"]
        target = folder / f"Marianne-{style}.ttf"
        if not target.exists():
            font = TTFont(source)
            font.flavor = None
            with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as temp:
                font.save(temp)
            os.replace(temp.name, target)
        font_manager.fontManager.addfont(str(target))
    return ["Marianne", "DejaVu Sans"]


def _style() -> dict:
    return {
        "font.family": _marianne(),
        "font.size": 8.5,
        "text.color": TEXTE,
        "axes.labelcolor": TEXTE,
        "axes.edgecolor": GRIS_CLAIR,
        "xtick.color": TEXTE,
        "ytick.color": TEXTE,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.fonttype": "none",
        # The same chart gives the same file (no random ids, no date).
        "svg.hashsalt": "pvd-note",
    }


def _figure(hauteur_cm: float, largeur_cm: float = LARGEUR_CM):
    from matplotlib.figure import Figure

    return Figure(figsize=(largeur_cm * CM, hauteur_cm * CM), layout="constrained")


def _data_uri(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _format(value: float, unite: str) -> str:
    if unite == "pourcentage":
        return f"{nombre(value)}\u00a0%"
    if unite == "euros":
        return euros(round(value))
    return nombre(int(value) if float(value).is_integer() else value)


def _mois(mois: str) -> date:
    year, month = mois.split("-")[:2]
    return date(int(year), int(month), 1)


def courbe_adhesions(serie: Sequence[dict]) -> str | None:
    """The cumulative number of signatory communes, month by month (`serie`: a list of
    {"mois": "YYYY-MM", "communes": n}). None when there is nothing to draw."""
    import matplotlib

    points = [(_mois(point["mois"]), point["communes"]) for point in serie]
    # From the month before the first signature (the months before say nothing).
    debut = next((i for i, (_, communes) in enumerate(points) if communes), None)
    if debut is None:
        return None
    points = points[max(0, debut - 1) :]
    with matplotlib.rc_context(_style()):
        figure = _figure(6.5)
        axes = figure.add_subplot()
        x = list(range(len(points)))
        y = [communes for _, communes in points]
        axes.bar(x, y, color=BLEU, width=0.7)
        step = max(1, -(-len(points) // 12))
        ticks = x[::step]
        axes.set_xticks(
            ticks, [f"{MOIS_COURTS[points[i][0].month - 1]}\n{points[i][0].year}" for i in ticks]
        )
        axes.tick_params(axis="x", length=0, labelsize=7.5)
        axes.yaxis.set_major_formatter(lambda value, _: nombre(int(value)))
        axes.grid(axis="y", color=GRIS_CLAIR, linewidth=0.6)
        axes.set_axisbelow(True)
        axes.spines["left"].set_visible(False)
        axes.tick_params(axis="y", length=0)
        axes.annotate(
            nombre(y[-1]),
            (x[-1], y[-1]),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontweight="bold",
            color=BLEU,
        )
        axes.set_ylim(0, max(y) * 1.12 or 1)
        return _data_uri(figure)


def barres(
    items: Sequence[tuple[str, float]],
    *,
    unite: str = "nombre",
    precedentes: dict[str, float] | None = None,
    legendes: tuple[str, str] | None = None,
    largeur_cm: float = LARGEUR_CM,
) -> str | None:
    """Horizontal bars, largest first, each with its value in French. With `precedentes`
    ({label: value} of the previous note), a thinner grey bar beside each, and `legendes`
    naming the two series. None when there is nothing to draw."""
    import matplotlib

    items = [(label, float(value or 0)) for label, value in items]
    if not any(value for _, value in items):
        return None  # nothing yet: no chart of empty bars
    items.sort(key=lambda item: -item[1])
    labels = [textwrap.fill(label, LIGNE_ETIQUETTE) for label, _ in items]
    # Every row as high as the longest label (wrapped), bars evenly spaced.
    lignes = max(label.count("\n") + 1 for label in labels)
    hauteur = 0.6 + len(items) * max(0.85 if precedentes else 0.62, 0.38 * lignes + 0.2)
    with matplotlib.rc_context(_style()):
        figure = _figure(hauteur, largeur_cm)
        axes = figure.add_subplot()
        y = list(range(len(items)))
        values = [value for _, value in items]
        epaisseur = 0.62
        anciennes: list[float] = []
        if precedentes:
            epaisseur = 0.4
            anciennes = [float(precedentes.get(label) or 0) for label, _ in items]
            axes.barh(
                [i + 0.21 for i in y],
                anciennes,
                height=0.36,
                color=GRIS_CLAIR,
                label=legendes[1] if legendes else None,
            )
            for i, value in zip(y, anciennes, strict=True):
                axes.annotate(
                    _format(value, unite),
                    (value, i + 0.21),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=7,
                    color=GRIS,
                )
        positions = [i - 0.2 for i in y] if precedentes else y
        axes.barh(
            positions,
            values,
            height=epaisseur,
            color=BLEU,
            label=legendes[0] if legendes else None,
        )
        for position, value in zip(positions, values, strict=True):
            axes.annotate(
                _format(value, unite),
                (value, position),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontweight="bold",
                color=BLEU,
            )
        axes.set_yticks(y, labels)
        axes.invert_yaxis()
        axes.tick_params(axis="y", length=0)
        axes.xaxis.set_visible(False)
        axes.spines["bottom"].set_visible(False)
        axes.set_xlim(0, max([*values, *anciennes]) * 1.22 or 1)
        if precedentes and legendes:
            axes.legend(loc="lower right", frameon=False, fontsize=7.5)
        return _data_uri(figure)
