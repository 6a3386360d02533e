"""The note de suivi as a PDF: an HTML template rendered by WeasyPrint, with a URL fetcher that
serves the project's static files and `data:` URIs, and nothing else (no network, no file of
the server outside the static folders)."""

from __future__ import annotations

import mimetypes
from datetime import date
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from pvd.notes import contenu, perimetres

# How the template names a static file: « static:dsfr/dist/fonts/Marianne-Regular.woff ».
STATIC = "static:"


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        """Static files by their path (found like `collectstatic` finds them), and `data:`
        URIs (the charts). Any other address is refused: WeasyPrint logs it and goes on."""

        def __init__(self):
            super().__init__(allowed_protocols=("data",))

        def fetch(self, url, headers=None):
            if url.startswith(STATIC):
                relative = url.removeprefix(STATIC).lstrip("/")
                if ".." in Path(relative).parts:
                    raise ValueError(f"Chemin refusé : {url}")
                path = finders.find(relative)
                if path is None:
                    raise ValueError(f"Fichier statique introuvable : {url}")
                mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": mime_type})
            return super().fetch(url, headers)

    return StaticFetcher()


def render_note_pdf(
    *,
    perimetre_libelle: str,
    jour: date,
    valeurs: dict,
    precedente=None,
    perimetre: str = "FR",
) -> bytes:
    """The note of `valeurs` (a snapshot: {key: value}) for a perimeter at `jour`, each figure
    compared with `precedente` (a published `NoteSuivi` of the same perimeter, or None).

    `perimetre` is the perimeter's parameter ("FR", "region:27"…), for the cover's line."""
    from weasyprint import HTML

    with translation.override("fr"):
        date_precedente = precedente.date if precedente is not None else None
        context = {
            "perimetre_libelle": perimetre_libelle,
            "echelon": perimetres.echelon(perimetre),
            "national": perimetre == "FR",
            "jour": jour,
            "precedente": precedente,
            "parties": contenu.parties(
                valeurs, precedente.valeurs if precedente is not None else None, date_precedente
            ),
            "definitions": contenu.definitions(valeurs),
            "produite_le": timezone.localdate(),
        }
        html = render_to_string("pvd/note_pdf.html", context)
    return HTML(string=html, url_fetcher=_fetcher()).write_pdf()
