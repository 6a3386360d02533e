"""Permission matrix of `pvd.exports`: every route, every persona, the expected status.

Every logged-in persona exports the lists (their rows are cut to its perimeter, see
test_exports.py); anonymous visitors are sent to the login page (302); a stored export is its
author's only (the ANCT agent's here): anyone else gets 404, as if it did not exist.
"""

import pytest
from django.urls import reverse

from pvd.exports import urls as exports_urls
from pvd.exports.listes import LISTES
from pvd.models import EtatExport, Export
from tests.conftest import PERSONAS, fermer

ALL = PERSONAS[1:]


def private(**overrides) -> dict:
    return {"anonyme": 302, **dict.fromkeys(ALL, 200), **overrides}


AUTHOR_ONLY = {"anonyme": 302, **dict.fromkeys(ALL, 404), "anct": 200}

# (route, method) → (URL arguments from the export, POST data, expected status by persona)
MATRIX = {
    ("mes_exports", "get"): (lambda e: [], None, private()),
    ("telecharger", "get"): (lambda e: [e.pk], None, AUTHOR_ONLY),
    ("export_form", "get"): (lambda e: ["dossiers"], None, private()),
    # A small export: the file at once, for whoever asks (cut to their perimeter).
    ("export_form", "post"): (
        lambda e: ["financements"],
        {"format": "xlsx", "colonnes": ["objet", "montant_demande"]},
        private(),
    ),
}


@pytest.fixture
def export(anct, laureates, settings):
    """A ready export of the ANCT agent."""
    from pvd.exports.services import construire_export

    export = Export.objects.create(auteur=anct, liste="dossiers", format="csv", colonnes=["code"])
    return construire_export(export.pk)


def test_every_route_of_the_app_is_in_the_matrix():
    assert {pattern.name for pattern in exports_urls.urlpatterns} == {route for route, _ in MATRIX}


def test_every_persona_is_in_every_row():
    assert all(set(row[2]) == set(PERSONAS) for row in MATRIX.values())


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("route", "method"), sorted(MATRIX))
def test_permission_matrix(as_persona, export, route, method, persona):
    args, data, expected = MATRIX[route, method]
    assert export.etat == EtatExport.PRET
    client = as_persona(persona)
    url = reverse(f"exports:{route}", args=args(export))

    response = client.post(url, data) if method == "post" else client.get(url)

    fermer(response)  # a download holds its file open until then
    assert response.status_code == expected[persona]
    if response.status_code == 302 and persona == "anonyme":
        assert response["Location"].startswith(reverse("connexion"))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("liste", sorted(LISTES))
def test_every_list_has_its_export_form(as_persona, liste, persona):
    response = as_persona(persona).get(reverse("exports:export_form", args=[liste]))

    assert response.status_code == (302 if persona == "anonyme" else 200)
