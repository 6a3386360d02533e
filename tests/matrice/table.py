"""The global permission table: every route (and method) of the resolver, the request it gets,
the expected status for each persona on an object inside the perimeter (Clamecy's side) and on
its mirror outside (Privas' side).

The rows come from the apps' own matrices (tests/<app>/test_permissions.py,
tests/<app>/test_api_permissions.py, tests/pvd/…): their URL arguments, bodies and expected
statuses, written for Clamecy's objects, are applied to each side's objects (tests/matrice/
monde.py). The outside expectation is derived by one rule (`mirror`): the two préfectures swap
their answers, the région, the commune and the EPCI get 404 (another territory's object does not
exist for them), the ANCT, the national partner and anonymous visitors answer as inside. Routes
whose object is national (catalogue, Club events and cercles, an export) are asked once.
"""

from collections.abc import Callable
from dataclasses import dataclass

from tests.club import test_api_permissions as club_api
from tests.club import test_permissions as club_html
from tests.communes import test_permissions as communes_html
from tests.conftest import PERSONAS
from tests.conventions import test_api_permissions as conventions_api
from tests.conventions import test_permissions as conventions_html
from tests.financements import test_api_permissions as financements_api
from tests.financements import test_permissions as financements_html
from tests.ingenierie import test_api_permissions as ingenierie_api
from tests.ingenierie import test_permissions as ingenierie_html
from tests.matrice.monde import SIDES
from tests.pvd import test_api_notes as notes_api
from tests.pvd import test_exports_permissions as exports_html
from tests.pvd import test_imports_permissions as imports_html
from tests.pvd import test_permissions as pvd_html

TERRITORIAL = ("region_27", "commune_clamecy", "epci_haut_nivernais")
# Personas whose perimeter is a territory: the other territory's objects never reach them.
TERRITORIAUX = ("prefecture_58", "prefecture_07", *TERRITORIAL)


def mirror(expected: dict) -> dict:
    """The expected statuses on the outside object, from those on the inside one."""
    return {
        **expected,
        "prefecture_58": expected["prefecture_07"],
        "prefecture_07": expected["prefecture_58"],
        **dict.fromkeys(TERRITORIAL, 404),
    }


def mirror_creation(expected: dict) -> dict:
    """The expected statuses of a creation whose body names the outside territory: the
    préfectures swap; the région, the commune and the EPCI, who may create for their own
    territory, are refused (403) for another one."""
    refused = {p: 403 for p in TERRITORIAL if 200 <= expected[p] < 300}
    return {
        **expected,
        "prefecture_58": expected["prefecture_07"],
        "prefecture_07": expected["prefecture_58"],
        **refused,
    }


@dataclass
class Row:
    route: str  # namespaced name, as reverse() takes it
    method: str
    expected: dict  # persona → status, inside
    objets: str = "aucun"  # the side's collection the lambdas read (monde.py's `_side`)
    args: Callable = lambda o: []
    request: Callable = lambda o: {}  # keyword arguments of the client's call
    # "territorial": asked inside and outside (mirrored); "national": asked once.
    portee: str = "territorial"
    source: str = ""

    def expected_for(self, side: str) -> dict:
        expected = {**self.expected, **DEDANS.get((self.route, self.method), {})}
        if side == "dedans":
            return expected
        outside = DEHORS.get((self.route, self.method), {})
        if self.creation:
            return {**mirror_creation(expected), **outside}
        return {**mirror(expected), **outside}

    @property
    def has_object(self) -> bool:
        """The URL names an object: its arguments read the side's objects."""
        try:
            return self.args(None) != []
        except (AttributeError, TypeError, KeyError):
            return True

    @property
    def creation(self) -> bool:
        """A POST to a list: its body names the territory (Clamecy's, Privas' outside)."""
        return self.method != "get" and not self.has_object

    @property
    def query(self) -> bool:
        """A page read for a territory named in its query (a dashboard's perimeter)."""
        return self.method == "get" and bool(self.request(None).get("data"))

    @property
    def sides(self) -> tuple[str, ...]:
        """Inside, and outside too when the row reads a territory's object."""
        territorial = self.has_object or self.creation or self.query
        return SIDES if self.portee == "territorial" and territorial else SIDES[:1]


# Where this world differs from an app's: one cadre, of Armes only (the conventions API
# matrix's), serves the pages too: Clamecy's commune does not see it.
DEDANS = {("conventions:convention_update", "get"): {"commune_clamecy": 404}}
# Creations naming an object of the outside that the persona does not see: refused as unknown
# (400: « Aucun objet visible n’a le numéro … ») or out of its perimeter (404), as the apps'
# matrices have it for the other préfecture (vta) or Clamecy's commune (besoins) inside.
DEHORS = {
    ("api:vta-list", "post"): dict.fromkeys(TERRITORIAL, 400),
    ("api:besoins-list", "post"): {"region_27": 404, "epci_haut_nivernais": 404},
}


def _form(method, data):
    """The request of an HTML matrix's row: a form POST or a GET."""
    if method != "post":
        return lambda o: {}
    return lambda o: {"data": (data(o) if callable(data) else data) or {}}


def _json(method, body, headers=None):
    if method == "get":
        return lambda o: {}
    return lambda o: {
        "data": (body(o) if callable(body) else body) or {},
        "content_type": "application/json",
        "headers": headers or {},
    }


def _html(namespace, matrix, objets, source, national=()):
    for name, (method, args, data, expected) in matrix.items():
        yield Row(
            f"{namespace}:{name}",
            method,
            expected,
            objets,
            args,
            _form(method, data),
            "national" if name in national else "territorial",
            source=source,
        )


def rows() -> list[Row]:
    table: list[Row] = []
    add = table.extend
    add(
        _html(
            "financements",
            financements_html.MATRIX,
            "financements",
            "tests/financements/test_permissions.py",
            national={"mesure_detail", "mesure_update", "source_detail", "source_update"},
        )
    )
    add(
        _html(
            "conventions",
            conventions_html.MATRIX,
            "conventions",
            "tests/conventions/test_permissions.py",
            national={"public_detail"},
        )
    )
    add(
        _html(
            "ingenierie",
            ingenierie_html.MATRIX,
            "ingenierie",
            "tests/ingenierie/test_permissions.py",
        )
    )
    # The Club: events, modules, cercles are national; the préfecture's proposal and the
    # maire's registration belong to their territory.
    add(
        _html(
            "club",
            club_html.MATRIX,
            "club",
            "tests/club/test_permissions.py",
            national=set(club_html.MATRIX)
            - {
                "evenement_detail",
                "evenement_update",
                "evenement_publier",
                "evenement_annuler",
                "inscription_annuler",
            },
        )
    )
    for name, (method, args, expected) in communes_html.MATRIX.items():
        table.append(
            Row(
                f"communes:{name}",
                method,
                expected,
                "communes",
                args,  # the invitation of Armes (or its mirror), its token, its inviter's jeton
                portee="territorial"
                if name in ("invitation_detail", "invitation_resend")
                else "national",
                source="tests/communes/test_permissions.py",
            )
        )
    for name, (method, expected) in pvd_html.MATRIX.items():
        table.append(Row(name, method, expected, portee="national", source="tests/pvd/…"))
    for name in ("note_detail", "note_pdf"):
        table.append(
            Row(
                name,
                "get",
                pvd_html.NOTE_MATRIX["departement:58"],
                "note",
                lambda o: [o.pk],
                source="tests/pvd/test_permissions.py (NOTE_MATRIX)",
            )
        )
        table.append(
            Row(
                name,
                "get",
                pvd_html.NOTE_MATRIX["FR"],
                "note_fr",
                lambda o: [o.pk],
                portee="national",
                source="tests/pvd/test_permissions.py (NOTE_MATRIX)",
            )
        )
    # The link of a password reset e-mail: an unknown one is a page saying so, for everyone.
    table.append(
        Row(
            "password_reset_confirm",
            "get",
            dict.fromkeys(PERSONAS, 200),
            args=lambda o: ["MQ", "mauvais-jeton"],
            portee="national",
            source="global",
        )
    )
    for (name, method), (args, data, expected) in exports_html.MATRIX.items():
        table.append(
            Row(
                f"exports:{name}",
                method,
                expected,
                "export",
                args,
                _form(method, data),
                "national",
                source="tests/pvd/test_exports_permissions.py",
            )
        )
    for name, cases in imports_html.MATRIX.items():
        for args, expected in cases:
            table.append(
                Row(
                    f"imports:{name}",
                    "get",
                    expected,
                    args=lambda o, args=args: args,
                    portee="national",
                    source="tests/pvd/test_imports_permissions.py",
                )
            )
    # The API ------------------------------------------------------------------------------
    for (name, method), (args, body, headers, expected) in financements_api.MATRIX.items():
        table.append(
            Row(
                f"api:{name}",
                method,
                expected,
                "financements",
                args,
                _json(method, body, headers),
                "national"
                if name.split("-")[0] in ("mesure", "source", "organisation")
                else "territorial",
                source="tests/financements/test_api_permissions.py",
            )
        )
    for (name, method), (args, body, headers, expected) in ingenierie_api.MATRIX.items():
        table.append(
            Row(
                f"api:{name}",
                method,
                expected,
                "ingenierie",
                args,
                _json(method, body, headers),
                source="tests/ingenierie/test_api_permissions.py",
            )
        )
    for (name, method), (args, request, expected) in conventions_api.MATRIX.items():
        table.append(
            Row(
                f"api:{name}",
                method,
                expected,
                "conventions",
                args,
                # The `pdf` factory is the world's (a fresh upload at each call).
                (lambda o, request=request: request(o, o["pdf"])) if request else (lambda o: {}),
                source="tests/conventions/test_api_permissions.py",
            )
        )
    for key, (method, args, data, expected) in club_api.MATRIX.items():
        name = key.partition(":")[0]
        table.append(
            Row(
                f"api:{name}",
                method,
                expected,
                "club",
                args,
                _json(method, data),
                "national"
                if name in ("club-evenement-list", "club-inscription-list")
                else "territorial",
                source="tests/club/test_api_permissions.py",
            )
        )
    for key, (method, args, expected) in notes_api.MATRIX.items():
        body = {"perimetre": "departement:58", "date": "2021-10-15"}
        table.append(
            Row(
                f"api:{key.partition(':')[0]}",
                method,
                expected,
                "note",
                args,
                _json(method, body),
                source="tests/pvd/test_api_notes.py",
            )
        )
    table.extend(GLOBAL_API)
    return table


PUBLIC = dict.fromkeys(PERSONAS, 200)
# The dashboard of the Nièvre: whoever reads it (a note's rule), anonymous visitors read France.
TABLEAU_NIEVRE = {**notes_api.NIEVRE, "anonyme": 404}
GLOBAL_API = [
    # The audit log (pvd/views/audit.py): the ANCT's; the others get 403 (no secret in it).
    Row(
        "audit",
        "get",
        {"anonyme": 302, **dict.fromkeys(PERSONAS[1:], 403), "anct": 200},
        portee="national",
        source="global (pvd.views.audit)",
    ),
    # The dashboard page of the Nièvre, as its API (anonymous visitors: to the login page).
    Row(
        "tableau_de_bord",
        "get",
        {**TABLEAU_NIEVRE, "anonyme": 302},
        request=lambda o: {"data": {"perimetre": "departement:58"}},
        source="global (pvd.views.tableau_de_bord)",
    ),
    Row("api:schema", "get", PUBLIC, portee="national", source="global"),
    Row("api:docs", "get", PUBLIC, portee="national", source="global"),
    Row(
        "api:tableau_de_bord",
        "get",
        PUBLIC,
        request=lambda o: {"data": {"perimetre": "FR"}},
        portee="national",
        source="global",
    ),
    Row(
        "api:tableau_de_bord",
        "get",
        TABLEAU_NIEVRE,
        request=lambda o: {"data": {"perimetre": "departement:58"}},
        source="global",
    ),
    # The territories' referential is public (communes/api: AllowAny).
    *(
        Row(
            f"api:territoire-{kind}-{action}",
            "get",
            PUBLIC,
            args=args,
            portee="national",
            source="global",
        )
        for kind, code in (
            ("region", "27"),
            ("departement", "58"),
            ("epci", "200067429"),
            ("commune", "58079"),
        )
        for action, args in (("list", lambda o: []), ("detail", lambda o, code=code: [code]))
    ),
]
