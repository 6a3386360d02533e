"""The global permission matrix: every URL and API route of the resolver, every persona, an object
inside and outside the persona's perimeter, the expected status; lists never contain another
territory's objects.

The table (tests/matrice/table.py) is the apps' own matrices applied to two symmetric worlds
(tests/matrice/monde.py): Clamecy's (Nièvre, préfecture A = prefecture_58) and Privas' (Ardèche,
préfecture B = prefecture_07), built once for the module. A route added without its row fails
`test_every_route_of_the_resolver_is_in_the_table`. The Django admin follows one rule: staff
only (no persona is staff).

`NOMBRE_DE_CAS` counts the requests asserted (the matrix, the lists, the exports, the admin): the
figure to quote; `test_the_number_of_cases` prints it.
"""

import re

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape

from pvd.exports.listes import LISTES
from tests.conftest import PERSONAS, fermer
from tests.matrice import monde as world_module
from tests.matrice.monde import EXTRA_07, EXTRA_58, translate
from tests.matrice.table import TERRITORIAUX, rows

# Every test runs in a savepoint of the world's transaction: writes are undone after each.
pytestmark = pytest.mark.django_db

TABLE = rows()
SKIPPED_METHODS = {"head", "options"}


def walk(patterns, namespace=()):
    """(namespaced name, pattern) of every route under `patterns`."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield ":".join((*namespace, pattern.name or "")), pattern


ROUTES = list(walk(get_resolver().url_patterns))
# The admin's named routes (its unnamed ones are redirections and the final catch-all).
ADMIN = [(name, p) for name, p in ROUTES if name.startswith("admin:") and name != "admin:"]


def resolver_entries() -> set[tuple[str, str | None]]:
    """(route, method) of every API route; (route, None) of every page (any method)."""
    entries = set()
    for name, pattern in ROUTES:
        if name.startswith("admin:"):
            continue
        actions = getattr(pattern.callback, "actions", None)
        if actions:
            entries |= {(name, m) for m in actions if m not in SKIPPED_METHODS}
        else:
            entries.add((name, None))
    return entries


CASES = [
    pytest.param(index, side, persona, id=f"{row.route}-{row.method}-{index}-{side}-{persona}")
    for index, row in enumerate(TABLE)
    for side in row.sides
    for persona in PERSONAS
]
# Lists (no object in the URL, not public) read by a persona whose perimeter is a territory.
LISTS = [
    pytest.param(index, persona, id=f"{row.route}-{index}-{persona}")
    for index, row in enumerate(TABLE)
    if row.method == "get"
    and not (row.has_object or row.query)
    and row.expected["anonyme"] in (302, 401)
    for persona in TERRITORIAUX
    if row.expected[persona] == 200
]
ADMIN_CASES = len(ADMIN) * len(PERSONAS)
NOMBRE_DE_CAS = len(CASES) + len(LISTS) + ADMIN_CASES + len(LISTES) * len(TERRITORIAUX)


# The world, built once --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Both sides' objects, in a transaction rolled back when the module ends (each test runs in
    a savepoint of it)."""
    media = tmp_path_factory.mktemp("media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        world = world_module.build(media)
        # One session per persona, opened once (a login per test would cost more than the test).
        for name, user in world.personas.items():
            if user is not None:
                client = Client()
                client.force_login(user)
                world.sessions[name] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        yield world
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media(settings, world):
    """The world's files (signed conventions, notes) stay readable in every test."""
    settings.MEDIA_ROOT = world.media


def objets(world, row, side):
    return getattr(world.cotes[side], row.objets)


def url_of(world, row, side) -> str:
    return reverse(row.route, args=translate(row.args(objets(world, row, side)), side))


def call(client, world, row, side):
    kwargs = translate(row.request(objets(world, row, side)), side)
    response = getattr(client, row.method)(url_of(world, row, side), **kwargs)
    fermer(response)  # a download holds its file open until then
    return response


def login(client, world, persona):
    if persona == "anonyme":
        client.cookies.pop(django_settings.SESSION_COOKIE_NAME, None)
    else:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    return client


# The table covers the resolver -------------------------------------------------------------------


def test_every_route_of_the_resolver_is_in_the_table():
    covered = {(row.route, row.method) for row in TABLE}
    pages = {route for route, _ in covered}
    missing = sorted(
        f"{route} {method or ''}".strip()
        for route, method in resolver_entries()
        if ((route, method) not in covered if method else route not in pages)
    )

    assert not missing, f"Routes without a row in the permission table: {missing}"


def test_every_row_names_a_real_route_and_every_persona():
    names = {name for name, _ in ROUTES}

    assert all(row.route in names for row in TABLE)
    assert all(set(row.expected) == set(PERSONAS) for row in TABLE)


def test_the_number_of_cases(capsys):
    with capsys.disabled():
        print(
            f"\nMatrice globale : {len(TABLE)} lignes, {len(CASES)} cas (route, méthode, "
            f"persona, objet), {len(LISTS)} listes relues, {len(LISTES) * len(TERRITORIAUX)} "
            f"exports relus, {ADMIN_CASES} cas d’administration : "
            f"{NOMBRE_DE_CAS} cas."
        )
    assert len(CASES) >= len(TABLE) * len(PERSONAS)


# The matrix --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("index", "side", "persona"), CASES)
def test_permission_matrix(client, world, index, side, persona):
    row = TABLE[index]
    expected = row.expected_for(side)[persona]

    response = call(login(client, world, persona), world, row, side)

    assert response.status_code == expected, (row.source, response.content[:300])
    if response.status_code == 302 and persona == "anonyme":
        assert response["Location"].startswith(reverse("connexion"))


# Lists never show another territory's objects ----------------------------------------------------


_FORBIDDEN = {}


def forbidden(world, persona) -> tuple[set[str], dict[str, set[str]]]:
    """The URLs of the pages (and, by API list, the identifiers) of every object of the table
    that `persona` must not see (expected 404), on either side."""
    if (id(world), persona) not in _FORBIDDEN:
        _FORBIDDEN[id(world), persona] = _forbidden(world, persona)
    return _FORBIDDEN[id(world), persona]


def _forbidden(world, persona) -> tuple[set[str], dict[str, set[str]]]:
    urls, ids = set(), {}
    for row in TABLE:
        if row.method != "get" or not row.has_object:
            continue
        for side in row.sides:
            if row.expected_for(side)[persona] != 404:
                continue
            args = translate(row.args(objets(world, row, side)), side)
            urls.add(reverse(row.route, args=args))
            if row.route.startswith("api:") and row.route.endswith("-detail"):
                ids.setdefault(row.route.removesuffix("-detail") + "-list", set()).add(str(args[0]))
    return urls, ids


IDENTIFIERS = ("id", "pk", "code", "siren", "commune")


# The communes of each side, by INSEE code and name: another territory's never show in a list.
COMMUNES = {
    "dedans": {"58079": "Clamecy", "58013": "Armes", "58062": "Château-Chinon", **EXTRA_58},
    "dehors": {"07186": "Privas", "07102": "Lyas", "07064": "Coux", **EXTRA_07},
}
# A form's help text takes Clamecy as its example (« le maire de Clamecy et le président… »).
EXAMPLES = {("conventions:adhesion_create", "Clamecy")}


def named(route: str, persona: str, body: str) -> list[str]:
    """The other side's communes (code or name, as a whole word) in `body`."""
    other = COMMUNES["dedans" if persona == "prefecture_07" else "dehors"]
    words = [word for pair in other.items() for word in pair if (route, word) not in EXAMPLES]
    return [w for w in words if re.search(rf"(?<![\w-]){re.escape(escape(w))}(?![\w-])", body)]


def found(urls: set[str], body: str) -> list[str]:
    """The URLs linked from `body` (an href, a JSON link)."""
    return sorted(
        url for url in urls if f'"{url}' in body or f"'{url}" in body or f"testserver{url}" in body
    )


@pytest.mark.parametrize(("index", "persona"), LISTS)
def test_lists_never_contain_another_territorys_objects(client, world, index, persona):
    row = TABLE[index]
    urls, ids = forbidden(world, persona)

    response = call(login(client, world, persona), world, row, "dedans")

    assert response.status_code == 200
    body = response.content.decode(errors="replace")
    leaked = found(urls, body) + named(row.route, persona, body)
    if row.route in ids and response["Content-Type"].startswith("application/json"):
        data = response.json()
        results = data.get("results", []) if isinstance(data, dict) else data
        leaked += sorted(
            f"{row.route} {key}={item[key]}"
            for item in results
            for key in IDENTIFIERS
            if str(item.get(key)) in ids[row.route]
        )
    assert not leaked, f"{row.route} shows {persona} objects outside its perimeter: {leaked}"


def test_the_list_check_sees_another_territorys_objects_when_they_are_shown(client, world):
    """The check above can fail: the ANCT's lists link to the Nièvre's objects, which the
    Ardèche's préfecture must not see."""
    urls, ids = forbidden(world, "prefecture_07")
    client = login(client, world, "anct")

    page = client.get(reverse("financements:financement_list")).content.decode()
    api = client.get(reverse("api:financement-list")).json()["results"]

    assert found(urls, page)
    assert {str(item["id"]) for item in api} & ids["api:financement-list"]


# Exports are lists too ---------------------------------------------------------------------------


def export(client, liste: str):
    colonnes = [colonne.cle for colonne in LISTES[liste].colonnes]
    url = reverse("exports:export_form", args=[liste])
    return client.post(url, {"format": "csv", "colonnes": colonnes})


EXPORTS = [
    pytest.param(liste, persona, id=f"{liste}-{persona}")
    for liste in sorted(LISTES)
    for persona in TERRITORIAUX
]


@pytest.mark.parametrize(("liste", "persona"), EXPORTS)
def test_exports_never_contain_another_territorys_communes(client, world, liste, persona):
    response = export(login(client, world, persona), liste)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert not named("", persona, response.content.decode("utf-8-sig"))


def test_the_anct_exports_both_territories(client, world):
    """The check above can fail: the ANCT's export holds the communes of both sides."""
    body = export(login(client, world, "anct"), "dossiers").content.decode("utf-8-sig")

    assert named("", "prefecture_07", body)
    assert named("", "prefecture_58", body)


# The Django admin: staff only --------------------------------------------------------------------


def admin_url(name: str, pattern) -> str:
    """The route's URL for the object 1 (the answer comes before any object is read)."""
    regex = pattern.pattern.regex
    if not regex.groupindex:  # django-simple-history's routes: positional groups
        return reverse(name, args=["1"] * regex.groups)
    return reverse(
        name, kwargs={key: "communes" if key == "app_label" else "1" for key in regex.groupindex}
    )


@pytest.mark.parametrize(("name", "pattern"), ADMIN, ids=[name for name, _ in ADMIN])
def test_the_admin_is_for_staff_only(client, world, name, pattern):
    url = admin_url(name, pattern)
    answers = {}
    for persona in PERSONAS:
        response = login(client, world, persona).get(url)
        answers[persona] = (response.status_code, response.get("Location", ""))

    if name == "admin:login":
        assert all(status == 200 for status, _ in answers.values())
    elif name == "admin:logout":  # POST only; a GET is sent away
        assert all(status in (302, 405) for status, _ in answers.values()), answers
    else:
        # Anonymous visitors meet the portal's login or the admin's.
        login_url = reverse("admin:login")
        status, location = answers.pop("anonyme")
        assert status == 302
        assert location.startswith((reverse("connexion"), login_url))
        assert all(
            status == 302 and location.startswith(login_url)
            for status, location in answers.values()
        ), answers
