"""Permission matrix of the API of pillar 2 (`financements/api/urls.py`): every route and
method, every persona, the expected status.

The objects belong to Clamecy (Nièvre): the other préfecture gets 404; roles that see an object
but may not act on it get 403 (the BdT partner on a DETR line, whose financeur is the État);
anonymous callers get 401 (the API never redirects to the login page). Every answer is one the
OpenAPI schema documents for that operation, with the body it documents.
"""

from urllib.parse import unquote

import jsonschema
import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from financements.api import urls as api_urls
from tests.conftest import PERSONAS

ALL = PERSONAS[1:]


def expect(default: int, **overrides) -> dict:
    return {"anonyme": 401, **dict.fromkeys(ALL, default), **overrides}


READ = expect(200)
READ_CLAMECY = expect(200, prefecture_07=404)
# Writing an État line of Clamecy: its préfecture only.
WRITE_ETAT_LINE = expect(403, prefecture_58=200, prefecture_07=404)
DETR_LINE = {
    "source": "detr",
    "communes": ["58079"],
    "objet": "Voirie",
    "annee": 2023,
    "montant_demande": "1000",
}
ACTION = {
    "titre": "Maison de santé",
    "communes": ["58079"],
    "orientation": "commerce",
    "type": "equipement_medico_social",
    "etat": "envisagee",
}

# (route, method) → (URL arguments from the objects, JSON body, headers, status by persona)
MATRIX = {
    ("financement-list", "get"): (lambda o: [], None, {}, READ),
    ("financement-list", "post"): (
        lambda o: [],
        DETR_LINE,
        {},
        # The other préfecture and the partner record lines, not these: the service says 403.
        expect(403, prefecture_58=201),
    ),
    ("financement-detail", "get"): (lambda o: [o.demande.pk], None, {}, READ_CLAMECY),
    ("financement-detail", "patch"): (
        lambda o: [o.demande.pk],
        {"objet": "Voirie"},
        {"If-Match": '"1"'},
        WRITE_ETAT_LINE,
    ),
    ("financement-accorder", "post"): (
        lambda o: [o.demande.pk],
        {"montant_accorde": "1000", "decide_le": "2022-05-02"},
        {},
        WRITE_ETAT_LINE,
    ),
    ("financement-refuser", "post"): (
        lambda o: [o.demande.pk],
        {"decide_le": "2022-05-02"},
        {},
        WRITE_ETAT_LINE,
    ),
    ("financement-versements", "post"): (
        lambda o: [o.accorde.pk],
        {"verse_le": "2022-05-02", "montant": "1000"},
        {},
        expect(403, prefecture_58=201, prefecture_07=404),
    ),
    ("action-list", "get"): (lambda o: [], None, {}, READ),
    ("action-list", "post"): (
        lambda o: [],
        ACTION,
        {},
        expect(403, prefecture_58=201, commune_clamecy=201, epci_haut_nivernais=201),
    ),
    ("action-detail", "get"): (lambda o: [o.action.pk], None, {}, READ_CLAMECY),
    ("action-detail", "patch"): (
        lambda o: [o.action.pk],
        {"etat": "pre_operationnelle"},
        {"If-Match": '"1"'},
        expect(
            403,
            prefecture_58=200,
            commune_clamecy=200,
            epci_haut_nivernais=200,
            prefecture_07=404,
        ),
    ),
    ("mesure-list", "get"): (lambda o: [], None, {}, READ),
    ("mesure-list", "post"): (
        lambda o: [],
        {
            "code": "nouvelle-mesure",
            "titre": "Nouvelle mesure",
            "partenaire": "bdt",
            "pilier": "mesures",
            "description": "Une aide.",
        },
        {},
        expect(403, anct=201),
    ),
    ("mesure-detail", "get"): (lambda o: [o.mesure.code], None, {}, READ),
    ("source-list", "get"): (lambda o: [], None, {}, READ),
    ("source-list", "post"): (
        lambda o: [],
        {
            "code": "fonds-58",
            "nom": "Fonds de la Nièvre",
            "categorie": "departement",
            "financeur": "bdt",
            "departement": "58",
        },
        {},
        expect(403, anct=201),
    ),
    ("source-detail", "get"): (lambda o: [o.detr.code], None, {}, READ),
    ("organisation-list", "get"): (lambda o: [], None, {}, READ),
    ("organisation-detail", "get"): (lambda o: ["bdt"], None, {}, READ),
    ("label-list", "get"): (lambda o: [], None, {}, READ),
    ("label-detail", "get"): (lambda o: [o.label.pk], None, {}, READ_CLAMECY),
}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _nullable(node):
    """OpenAPI 3.0's `nullable` as JSON Schema says it; `oneOf` read as `anyOf` (a blank URL
    matches drf-spectacular's « empty string » branch, and also `format: uri`, which jsonschema
    does not check without an extra package)."""
    if isinstance(node, list):
        return [_nullable(value) for value in node]
    if not isinstance(node, dict):
        return node
    node = {"anyOf" if key == "oneOf" else key: _nullable(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def check_documented(schema, urlpatterns, route: str, method: str, response) -> None:
    """`response` is documented for its operation in the schema, and its body validates."""
    pattern = next(p for p in urlpatterns if p.name == route)
    names = {
        name: "{id}" if name == "pk" else f"{{{name}}}" for name in pattern.pattern.regex.groupindex
    }
    path = unquote(reverse(f"api:{route}", kwargs=names))
    documented = schema["paths"][path][method]["responses"]
    assert str(response.status_code) in documented, (path, method, response.status_code)
    content = documented[str(response.status_code)].get("content")
    if content:
        body_schema = content["application/json"]["schema"]
        components = _nullable(schema["components"])
        jsonschema.validate(
            response.json(),
            {**_nullable(body_schema), "components": components},
            # Formats checked: a blank e-mail matches `maxLength: 0` only, as `oneOf` needs.
            format_checker=jsonschema.FormatChecker(),
        )


def routes_and_methods(urlpatterns) -> set[tuple[str, str]]:
    return {
        (pattern.name, method)
        for pattern in urlpatterns
        for method in pattern.callback.actions
        if method not in ("head", "options")
    }


def test_every_route_and_method_of_the_api_is_in_the_matrix():
    assert routes_and_methods(api_urls.urlpatterns) == set(MATRIX)


def test_every_persona_is_in_every_row():
    assert all(set(row[3]) == set(PERSONAS) for row in MATRIX.values())


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("route", "method"), sorted(MATRIX))
def test_permission_matrix(schema, as_persona, pilier2, route, method, persona):
    args, body, headers, expected = MATRIX[(route, method)]
    client = as_persona(persona)
    url = reverse(f"api:{route}", args=args(pilier2))

    if method == "get":
        response = client.get(url)
    else:
        response = getattr(client, method)(
            url, body, content_type="application/json", headers=headers
        )

    assert response.status_code == expected[persona], response.content
    check_documented(schema, api_urls.urlpatterns, route, method, response)
