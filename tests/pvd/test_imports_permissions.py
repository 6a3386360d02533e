"""Permission matrix of `pvd.imports`: every route, every import, every persona.

An import is open to the people who create those objects in the forms: financing lines and
soutiens to the préfectures and the partner, chefs de projet to the préfectures; the others
get 403, anonymous visitors are sent to the login page (302), an unknown import is a 404.
"""

import pytest
from django.urls import reverse

from pvd.imports import urls as imports_urls
from pvd.imports.registre import IMPORTS
from tests.conftest import PERSONAS

ALL = PERSONAS[1:]


def only(*allowed: str) -> dict:
    return {"anonyme": 302, **dict.fromkeys(ALL, 403), **dict.fromkeys(allowed, 200)}


RECORDERS = only("prefecture_58", "prefecture_07", "partenaire")
PREFECTURES = only("prefecture_58", "prefecture_07")
BY_IMPORT = {"financements": RECORDERS, "chefs-de-projet": PREFECTURES, "soutiens": RECORDERS}

# route → [(URL arguments, expected status by persona)]
MATRIX = {
    "index": [([], {"anonyme": 302, **dict.fromkeys(ALL, 200)})],
    "importer": [([slug], expected) for slug, expected in BY_IMPORT.items()],
    "modele": [
        ([slug, format], expected)
        for slug, expected in BY_IMPORT.items()
        for format in ("csv", "xlsx")
    ],
}
CASES = [
    (route, args, persona, expected[persona])
    for route, rows in MATRIX.items()
    for args, expected in rows
    for persona in PERSONAS
]


def test_every_route_is_in_the_matrix():
    assert {pattern.name for pattern in imports_urls.urlpatterns} == set(MATRIX)


def test_every_import_is_in_the_matrix():
    assert set(BY_IMPORT) == set(IMPORTS)


@pytest.mark.parametrize(("route", "args", "persona", "status"), CASES)
def test_permission_matrix(as_persona, route, args, persona, status):
    client = as_persona(persona)

    response = client.get(reverse(f"imports:{route}", args=args))

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("connexion"))


@pytest.mark.parametrize("persona", ["anct", "commune_clamecy", "region_27"])
def test_post_of_a_file_by_someone_who_may_not_import_is_403(as_persona, persona):
    client = as_persona(persona)

    response = client.post(reverse("imports:importer", args=["financements"]), {})

    assert response.status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        ("importer", ["inconnu"]),
        ("modele", ["inconnu", "csv"]),
        ("modele", ["financements", "pdf"]),
    ],
)
def test_unknown_import_or_format_is_404(as_persona, url):
    client = as_persona("prefecture_58")

    assert client.get(reverse(f"imports:{url[0]}", args=url[1])).status_code == 404


def test_index_lists_only_the_imports_open_to_the_user(as_persona):
    page = as_persona("partenaire").get(reverse("imports:index")).content.decode()

    assert "Lignes de financement" in page
    assert "Soutiens en ingénierie" in page
    assert "Postes de chef de projet" not in page


@pytest.mark.parametrize(
    ("persona", "liens"),
    [
        ("prefecture_58", 4),
        ("partenaire", 3),
        ("anct", 0),
        ("commune_clamecy", 0),
    ],
)
def test_menu_links_to_the_imports_open_to_the_user(request, monde, persona, liens):
    from pvd.context_processors import liens_imports

    assert len(liens_imports(request.getfixturevalue(persona))) == liens
