"""The OpenAPI schema of `/api/v1/` and its documentation page `/api/v1/docs/`: a valid schema,
every answer an endpoint gives documented with its body, Swagger UI served from our own static
files (no CDN, for the Content-Security-Policy)."""

import re
from datetime import timedelta

import jsonschema
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

DOCS = reverse("api:docs")
SCHEMA = reverse("api:schema")
TABLEAU_DE_BORD = reverse("api:tableau_de_bord")
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def validate_body(schema, response, body):
    """`body` against a documented response's schema, its `$ref`s resolved in `components`."""
    body_schema = response["content"]["application/json"]["schema"]
    jsonschema.validate(body, {**body_schema, "components": schema["components"]})


# The schema -----------------------------------------------------------------------------------


def test_the_schema_is_valid_openapi_3(schema):
    validate_schema(schema)  # raises jsonschema.ValidationError otherwise


def test_the_schema_is_public_and_in_json_on_request(client, db):
    response = client.get(SCHEMA, {"format": "json"})

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "API du portail Petites villes de demain"


def test_the_schema_describes_the_api_in_french(schema):
    description = schema["info"]["description"]

    for mention in ("Mes jetons d’API", "Authorization: Token pvd_", "perimetre", "date"):
        assert mention in description
    assert '{"detail": "…"}' in description


def test_the_personal_token_is_a_security_scheme_swagger_can_authorize(schema):
    schemes = schema["components"]["securitySchemes"]

    assert schemes["jetonPersonnel"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schemes["jetonPersonnel"]["description"],
    }
    assert "Token pvd_" in schemes["jetonPersonnel"]["description"]
    assert "knoxApiToken" not in schemes  # drf-spectacular's English one is replaced
    for path, method, operation in operations(schema):
        assert {"jetonPersonnel": []} in operation["security"], (path, method)


def test_every_operation_documents_a_success_and_the_refused_token(schema):
    """knox's TokenAuthentication runs first on every endpoint: a bad token answers 401
    anywhere, whatever the endpoint's permission."""
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        assert any(code.startswith("2") for code in codes), (path, method)
        assert "401" in codes, (path, method)


def test_every_error_has_the_detail_body(schema):
    for path, method, operation in operations(schema):
        for code, response in operation["responses"].items():
            if code.startswith(("4", "5")):
                reference = response["content"]["application/json"]["schema"]["$ref"]
                assert reference == "#/components/schemas/Erreur", (path, method, code)
                assert response["description"], (path, method, code)


def test_the_dashboard_documents_every_code_it_answers(schema):
    operation = schema["paths"][TABLEAU_DE_BORD]["get"]

    assert set(operation["responses"]) == {"200", "400", "401", "404", "406"}
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert set(parameters) == {"perimetre", "date"}
    assert parameters["perimetre"]["examples"]
    assert parameters["date"]["schema"]["format"] == "date"


@pytest.mark.parametrize(
    ("persona", "params", "headers", "status"),
    [
        ("anonyme", {"perimetre": "FR"}, {}, 200),
        ("prefecture_58", {"perimetre": "departement:58", "date": "2021-10-15"}, {}, 200),
        ("anonyme", {"perimetre": "canton:58"}, {}, 400),
        ("anonyme", {"date": "15/10/2021"}, {}, 400),
        ("anonyme", {"date": "futur"}, {}, 400),
        ("anonyme", {}, {"Authorization": "Token pvd_faux"}, 401),
        ("anonyme", {}, {"Authorization": "Token"}, 401),
        ("prefecture_58", {"perimetre": "departement:07"}, {}, 404),
        ("anonyme", {"perimetre": "departement:58"}, {}, 404),
    ],
)
def test_each_answer_of_the_dashboard_is_documented_with_its_body(
    schema, as_persona, persona, params, headers, status
):
    if params.get("date") == "futur":
        params = {"date": (timezone.localdate() + timedelta(days=1)).isoformat()}
    client = as_persona(persona)

    response = client.get(TABLEAU_DE_BORD, params, headers=headers)

    assert response.status_code == status
    documented = schema["paths"][TABLEAU_DE_BORD]["get"]["responses"]
    assert str(status) in documented
    validate_body(schema, documented[str(status)], response.json())


def test_an_unspoken_format_is_a_documented_406_on_every_operation(schema, client, db):
    response = client.get(TABLEAU_DE_BORD, headers={"Accept": "application/xml"})

    assert response.status_code == 406
    for path, method, operation in operations(schema):
        assert "406" in operation["responses"], (method, path)
    validate_body(
        schema, schema["paths"][TABLEAU_DE_BORD]["get"]["responses"]["406"], response.json()
    )


def test_a_body_in_an_unread_format_is_a_documented_415(schema, as_persona):
    path = reverse("api:financement-list")
    response = as_persona("prefecture_58").post(path, "<x/>", content_type="application/xml")

    assert response.status_code == 415
    documented = schema["paths"][path]["post"]["responses"]
    validate_body(schema, documented["415"], response.json())
    for path, method, operation in operations(schema):
        if "requestBody" in operation:
            assert "415" in operation["responses"], (method, path)


# The documentation page -----------------------------------------------------------------------


def test_an_anonymous_visitor_reads_the_documentation_page(client, db):
    response = client.get(DOCS)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert '<div id="swagger-ui"></div>' in response.text


def assets(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]*?\s(?:src|href)="([^"]+)"', html)


def test_the_page_loads_its_scripts_from_our_static_files_only(client, db):
    html = client.get(DOCS).text

    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts
    assert all(' src="' in attributes for attributes in scripts)  # no inline script
    urls = assets(html)
    assert not [url for url in urls if re.match(r"(https?:)?//", url)]
    static = [url for url in urls if url.startswith(settings.STATIC_URL)]
    assert {url.rsplit("/", 1)[-1] for url in static} >= {
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
    }
    # The only other script is Swagger UI's start-up, served by the page itself.
    assert [url for url in urls if url not in static] == [f"{DOCS}?script="]


def test_the_start_up_script_reads_our_schema(client, db):
    response = client.get(DOCS, {"script": ""})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert f'url: "{SCHEMA}"' in response.text


def test_the_sidecar_files_the_page_names_are_found_by_the_staticfiles_finders(client, db):
    static = [
        url.removeprefix(settings.STATIC_URL)
        for url in assets(client.get(DOCS).text)
        if url.startswith(settings.STATIC_URL)
    ]

    assert static
    for path in static:
        assert path.startswith("drf_spectacular_sidecar/")
        assert finders.find(path), path
    assert finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
