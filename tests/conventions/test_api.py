"""The `conventions` API (`conventions.api`): candidatures and their workflow, conventions and
avenants with optimistic concurrency, the dossiers by INSEE code; filters by territory codes,
states and dates; French errors that write nothing; lists in a constant number of queries."""

import json
from datetime import date, timedelta

import jsonschema
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conventions.api import views as api_views
from conventions.enums import Avis, EtatCandidature, EtatConvention
from conventions.models import Avenant, Candidature, ConventionCadre
from conventions.services import candidatures as candidature_services
from conventions.services import conventions as convention_services
from pvd.models import TransitionLog
from tests.factories import CommuneFactory


def url(name: str, *args) -> str:
    return reverse(f"api:{name}", args=args)


def post(client, path, data, **kwargs):
    return client.post(path, json.dumps(data), content_type="application/json", **kwargs)


def patch(client, path, data, **kwargs):
    return client.patch(path, json.dumps(data), content_type="application/json", **kwargs)


@pytest.fixture
def pref58(as_persona):
    return as_persona("prefecture_58")


# Candidatures -----------------------------------------------------------------------------------


def test_a_candidature_names_its_communes_and_departement_by_code(pref58, laureates):
    candidature = Candidature.objects.get()

    response = pref58.get(url("candidature-detail", candidature.pk))

    assert response.status_code == 200
    assert response["ETag"] == f'"{candidature.version}"'
    assert response.json() == {
        "id": candidature.pk,
        "etat": "retenue",
        "etat_libelle": "Retenue",
        "communes": ["58013", "58079"],
        "departement": "58",
        "deposee_le": "2020-11-02",
        "presentation": "Revitaliser le centre-bourg",
        "avis": "favorable",
        "instruite_le": timezone.localdate().isoformat(),
        "decidee_le": "2020-12-10",
        "retiree_le": None,
        "version": candidature.version,
    }


def test_the_prefecture_files_instructs_and_the_region_decides(as_persona, monde):
    created = post(
        as_persona("prefecture_58"),
        url("candidature-list"),
        {"communes": ["58062"], "deposee_le": "2021-01-04", "presentation": "Un bourg vivant"},
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created["Location"] == url("candidature-detail", pk)
    assert created.json()["etat"] == "deposee"

    instruite = post(
        as_persona("prefecture_58"),
        url("candidature-instruire", pk),
        {"avis": "favorable", "instruite_le": "2021-02-01", "commentaire": "Solide"},
    )
    assert instruite.status_code == 200, instruite.content
    assert instruite.json()["avis"] == "favorable"
    assert instruite["ETag"] == '"2"'

    decidee = post(
        as_persona("region_27"),
        url("candidature-decider", pk),
        {"decision": "retenir", "decidee_le": "2021-03-01"},
    )
    assert decidee.status_code == 200, decidee.content
    assert decidee.json()["etat"] == EtatCandidature.RETENUE
    logs = TransitionLog.objects.filter(object_id=pk).values_list("transition", flat=True)
    assert sorted(logs) == ["deposer", "instruire", "retenir"]


def test_a_second_instruction_is_refused_in_french(pref58, laureates):
    candidature = Candidature.objects.get()

    response = post(pref58, url("candidature-instruire", candidature.pk), {"avis": "favorable"})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Action « Instruire » impossible : l’état actuel est « Retenue »."
    }


def test_a_domain_error_answers_400_in_french_and_writes_nothing(pref58, monde):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = post(
        pref58, url("candidature-list"), {"communes": ["58062"], "deposee_le": tomorrow}
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "La date de dépôt ne peut pas être dans le futur."}
    assert not Candidature.objects.exists()
    assert not TransitionLog.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"communes": ["99999"], "deposee_le": "2021-01-04"},
            "champ « communes » : L'objet avec code=99999 n'existe pas.",
        ),
        ({"communes": ["58062"]}, "champ « deposee_le » : Ce champ est obligatoire."),
        (
            {"communes": ["58062"], "deposee_le": "04/01/2021"},
            "champ « deposee_le » : La date n'a pas le bon format.",
        ),
        ([], "Donnée non valide. Attendait un dictionnaire, a reçu list. Rien"),
    ],
)
def test_bad_input_answers_400_naming_the_field_and_writes_nothing(pref58, monde, body, message):
    response = post(pref58, url("candidature-list"), body)

    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert response.json()["detail"].endswith("Rien n’a été enregistré.")
    assert not Candidature.objects.exists()


def test_another_prefectures_communes_are_refused_with_403(as_persona, monde):
    response = post(
        as_persona("prefecture_07"),
        url("candidature-list"),
        {"communes": ["58062"], "deposee_le": "2021-01-04"},
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "Ces communes ne relèvent pas de votre préfecture."}
    assert not Candidature.objects.exists()


@pytest.fixture
def candidatures(monde, laureates, prefecture_58, prefecture_07):
    """Besides the lauréates (2020): Château-Chinon deposited in 2021, Privas in 2022."""
    candidature_services.create_candidature(
        by=prefecture_58, communes=[monde.chateau_chinon], deposee_le=date(2021, 1, 4)
    )
    candidature_services.create_candidature(
        by=prefecture_07, communes=[monde.privas], deposee_le=date(2022, 3, 1)
    )


def communes_of(response) -> list[list[str]]:
    assert response.status_code == 200, response.content
    return [row["communes"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [["07186"], ["58062"], ["58013", "58079"]]),
        ({"etat": "retenue"}, [["58013", "58079"]]),
        ({"etat": "deposee", "region": "27"}, [["58062"]]),
        ({"departement": "07"}, [["07186"]]),
        ({"epci": "200067429"}, [["58013", "58079"]]),
        ({"commune": "58079"}, [["58013", "58079"]]),
        ({"annee": "2021"}, [["58062"]]),
        ({"deposee_apres": "2021-01-04", "deposee_avant": "2021-12-31"}, [["58062"]]),
    ],
)
def test_candidatures_are_filtered_by_codes_state_and_dates(
    as_persona, candidatures, params, expected
):
    response = as_persona("anct").get(url("candidature-list"), params)

    assert communes_of(response) == expected


@pytest.mark.parametrize(
    ("params", "parametre"),
    [
        ({"commune": "99999"}, "commune"),
        ({"etat": "signee"}, "etat"),
        ({"annee": "2021.5"}, "annee"),
        ({"annee": "0"}, "annee"),
        ({"deposee_apres": "hier"}, "deposee_apres"),
    ],
)
def test_an_unreadable_filter_answers_400_naming_it(as_persona, candidatures, params, parametre):
    response = as_persona("anct").get(url("candidature-list"), params)

    assert response.status_code == 400
    assert f"paramètre « {parametre} »" in response.json()["detail"]


def test_a_list_holds_only_the_perimeter(as_persona, candidatures):
    assert communes_of(as_persona("prefecture_07").get(url("candidature-list"))) == [["07186"]]
    assert communes_of(as_persona("commune_clamecy").get(url("candidature-list"))) == [
        ["58013", "58079"]
    ]


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999999", "0"])
def test_an_unknown_number_answers_a_json_404(pref58, monde, pk):
    response = pref58.get(f"/api/v1/candidatures/{pk}/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Candidature introuvable ou hors de votre périmètre."}


# Conventions: optimistic concurrency ----------------------------------------------------------


def detail(adhesion) -> str:
    return url("convention-adhesion-detail", adhesion.pk)


def test_an_adhesion_shows_its_etag_and_codes(pref58, adhesion, monde):
    response = pref58.get(detail(adhesion))

    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    body = response.json()
    assert body["communes"] == ["58013", "58079"]
    assert body["departement"] == "58"
    assert body["etat"] == EtatConvention.EN_PREPARATION
    assert body["document"] is None
    assert body["version"] == 1


def test_a_patch_at_the_version_read_saves_and_gives_the_next_etag(pref58, adhesion, monde):
    etag = pref58.get(detail(adhesion))["ETag"]

    response = patch(
        pref58, detail(adhesion), {"president_comite": "Le maire"}, headers={"If-Match": etag}
    )

    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    adhesion.refresh_from_db()
    assert adhesion.president_comite == "Le maire"
    assert adhesion.presidence_comite == "maires_epci"  # absent: kept
    assert sorted(c.code for c in adhesion.communes.all()) == ["58013", "58079"]


def test_the_version_may_come_in_the_body(pref58, adhesion):
    response = patch(pref58, detail(adhesion), {"president_comite": "La maire", "version": 1})

    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2


def test_a_write_without_version_answers_428_and_writes_nothing(pref58, adhesion):
    response = patch(pref58, detail(adhesion), {"president_comite": "Le maire"})

    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    adhesion.refresh_from_db()
    assert (adhesion.president_comite, adhesion.version) == ("", 1)


def test_a_stale_version_answers_412_with_the_current_etag_and_writes_nothing(
    pref58, adhesion, prefecture_58
):
    convention_services.update_convention_adhesion(
        convention=adhesion,
        by=prefecture_58,
        expected_version=1,
        communes=list(adhesion.communes.all()),
        cosignataire_conseil_departemental=True,
        cosignataire_conseil_regional=False,
        partenaires=[],
        presidence_comite="maires_epci",
        president_comite="",
    )

    response = patch(
        pref58, detail(adhesion), {"president_comite": "Le maire"}, headers={"If-Match": '"1"'}
    )

    assert response.status_code == 412
    assert response["ETag"] == '"2"'
    assert "version 2, la vôtre 1" in response.json()["detail"]
    adhesion.refresh_from_db()
    assert (adhesion.president_comite, adhesion.version) == ("", 2)


def test_a_write_in_between_answers_409_and_never_overwrites(
    pref58, adhesion, prefecture_58, monkeypatch
):
    """Another agent saves after the API checked the version, before the service locks the
    row: the service's lock sees the stale expected version."""
    update = convention_services.update_convention_adhesion

    def racing(**kwargs):
        update(**{**kwargs, "president_comite": "L’autre agent"})
        return update(**kwargs)

    monkeypatch.setattr(api_views.convention_services, "update_convention_adhesion", racing)

    response = patch(
        pref58, detail(adhesion), {"president_comite": "Le maire"}, headers={"If-Match": '"1"'}
    )

    assert response.status_code == 409
    assert "pendant que vous la modifiiez" in response.json()["detail"]
    adhesion.refresh_from_db()
    assert (adhesion.president_comite, adhesion.version) == ("L’autre agent", 2)


def test_a_put_needs_every_field(pref58, adhesion):
    response = pref58.put(
        detail(adhesion),
        json.dumps({"president_comite": "Le maire"}),
        content_type="application/json",
        headers={"If-Match": '"1"'},
    )

    assert response.status_code == 400
    assert "champ « communes » : Ce champ est obligatoire ;" in response.json()["detail"]


def test_an_update_refused_by_a_rule_writes_nothing(pref58, adhesion, monde):
    response = patch(pref58, detail(adhesion), {"communes": ["58062"]}, headers={"If-Match": '"1"'})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Seules les communes lauréates signent une convention d’adhésion : "
        "Château-Chinon (Ville) ne l’est pas."
    }
    adhesion.refresh_from_db()
    assert adhesion.version == 1
    assert adhesion.communes.count() == 2


def test_a_signed_convention_is_changed_by_avenant_only(pref58, adhesion_signee):
    response = patch(
        pref58,
        detail(adhesion_signee),
        {"president_comite": "Le maire"},
        headers={"If-Match": f'"{adhesion_signee.version}"'},
    )

    assert response.status_code == 400
    assert "modifiez-la par un avenant" in response.json()["detail"]


# Signatures, cadres, avenants -----------------------------------------------------------------


def test_signing_with_the_pdf_then_a_second_time(pref58, adhesion, pdf):
    signer = url("convention-adhesion-signer", adhesion.pk)

    response = pref58.post(
        signer, {"signee_le": "2021-06-21", "document": pdf()}, headers={"If-Match": '"1"'}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["etat"], body["signee_le"], body["version"]) == ("signee", "2021-06-21", 2)
    assert body["document"] == f"http://testserver/conventions/adhesion/{adhesion.pk}/document/"
    again = pref58.post(signer, {"signee_le": "2021-06-22", "document": pdf(), "version": 2})
    assert again.status_code == 400
    assert again.json() == {
        "detail": "Action « Signer » impossible : l’état actuel est « Signée »."
    }
    assert TransitionLog.objects.filter(transition="signer").count() == 1


def test_a_signature_needs_a_real_pdf(pref58, adhesion):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("convention.pdf", b"<html>", content_type="application/pdf")

    response = pref58.post(
        url("convention-adhesion-signer", adhesion.pk),
        {"signee_le": "2021-06-21", "document": fake, "version": 1},
    )

    assert response.status_code == 400
    assert "n’est pas un PDF" in response.json()["detail"]
    adhesion.refresh_from_db()
    assert adhesion.etat == EtatConvention.EN_PREPARATION


def test_a_cadre_completes_a_signed_adhesion_and_an_avenant_amends_it(
    pref58, adhesion_signee, orientations
):
    cadre = post(
        pref58,
        url("convention-cadre-list"),
        {"adhesion": adhesion_signee.pk, "orientations": ["commerce"]},
    )
    assert cadre.status_code == 201, cadre.content
    assert cadre.json()["communes"] == ["58013", "58079"]  # all of the adhésion's by default
    assert cadre.json()["adhesion"] == adhesion_signee.pk

    avenant = post(
        pref58,
        url("avenant-list"),
        {"convention_adhesion": adhesion_signee.pk, "objet": "Ajout d’un partenaire"},
    )
    assert avenant.status_code == 201, avenant.content
    assert avenant.json()["numero"] == 1
    assert avenant.json()["convention_adhesion"] == adhesion_signee.pk
    assert Avenant.objects.get().objet == "Ajout d’un partenaire"


def test_an_avenant_names_exactly_one_convention(pref58, adhesion_signee):
    response = post(pref58, url("avenant-list"), {"objet": "Ajout"})

    assert response.status_code == 400
    assert "l’une des deux" in response.json()["detail"]
    assert not Avenant.objects.exists()


def test_a_cadre_of_an_unsigned_adhesion_is_refused(pref58, adhesion):
    response = post(pref58, url("convention-cadre-list"), {"adhesion": adhesion.pk})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "La convention-cadre complète une convention d’adhésion signée."
    }
    assert not ConventionCadre.objects.exists()


def test_conventions_are_filtered_by_signature_date(as_persona, adhesion_signee):
    client = as_persona("anct")

    def ids(params):
        return [
            row["id"]
            for row in client.get(url("convention-adhesion-list"), params).json()["results"]
        ]

    assert ids({"signee_apres": "2021-06-21"}) == [adhesion_signee.pk]
    assert ids({"signee_avant": "2021-06-20"}) == []
    assert ids({"annee": "2021", "etat": "signee", "departement": "58"}) == [adhesion_signee.pk]
    assert ids({"commune": "58062"}) == []


# Dossiers ---------------------------------------------------------------------------------------


def test_a_dossier_by_insee_code_with_its_stage_and_dates(pref58, adhesion_signee):
    response = pref58.get(url("dossier-detail", "58079"))

    assert response.status_code == 200
    assert response.json() == {
        "code": "58079",
        "nom": "Clamecy",
        "departement": "58",
        "region": "27",
        "epci": "200067429",
        "pvd": True,
        "etape": "adhesion_signee",
        "etape_libelle": "Convention d’adhésion signée",
        "date_adhesion": "2021-06-21",
        "date_cadre": None,
        "date_ort": None,
        "echeance_projet": "2022-12-21",
        "convention_adhesion": adhesion_signee.pk,
        "convention_cadre": None,
    }


def test_a_commune_outside_the_programme_has_no_stage(pref58, monde):
    body = pref58.get(url("dossier-detail", "58062")).json()

    assert (body["pvd"], body["etape"], body["etape_libelle"]) == (False, None, None)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["58013", "58062", "07186", "58079"]),  # by name: Armes, Château-Chinon, Clamecy…
        ({"etape": "laureate"}, ["58013", "58079"]),
        ({"etape": "candidate", "region": "84"}, ["07186"]),
        ({"departement": "58", "epci": "200067429"}, ["58013", "58079"]),
        ({"q": "clam"}, ["58079"]),
    ],
)
def test_dossiers_are_the_communes_of_the_programme_filtered_by_code_and_stage(
    as_persona, candidatures, params, expected
):
    response = as_persona("anct").get(url("dossier-list"), params)

    assert response.status_code == 200, response.content
    assert sorted(row["code"] for row in response.json()["results"]) == sorted(expected)


def test_a_dossier_outside_the_perimeter_answers_404(as_persona, laureates):
    response = as_persona("prefecture_07").get(url("dossier-detail", "58079"))

    assert response.status_code == 404
    assert response.json() == {"detail": "Aucune commune de votre périmètre n’a ce code INSEE."}


# Queries ----------------------------------------------------------------------------------------


@pytest.fixture
def remplir(monde, prefecture_58, region_27, pdf):
    """`n` more communes of the Nièvre, each with a retenue candidature, a signed adhésion, a
    cadre and an avenant."""

    def remplir(n: int, start: int):
        for numero in range(start, start + n):
            commune = CommuneFactory(
                code=f"58{numero:03d}", departement=monde.nievre, epci=monde.haut_nivernais
            )
            candidature = candidature_services.create_candidature(
                by=prefecture_58, communes=[commune], deposee_le=date(2021, 1, 4)
            )
            candidature_services.instruct_candidature(
                candidature=candidature, by=prefecture_58, avis=Avis.FAVORABLE
            )
            candidature_services.decide_candidature(
                candidature=candidature, by=region_27, retenue=True, decidee_le=date(2021, 2, 1)
            )
            adhesion = convention_services.create_convention_adhesion(
                by=prefecture_58, communes=[commune], presidence_comite="unique"
            )
            adhesion = convention_services.sign_convention(
                convention=adhesion, by=prefecture_58, signee_le=date(2021, 6, 1), document=pdf()
            )
            convention_services.create_convention_cadre(by=prefecture_58, adhesion=adhesion)
            convention_services.create_avenant(by=prefecture_58, convention=adhesion, objet="x")

    return remplir


@pytest.mark.parametrize(
    "route",
    ["candidature", "convention-adhesion", "convention-cadre", "avenant", "dossier"],
)
def test_lists_take_as_many_queries_for_2_and_20_rows(pref58, remplir, route):
    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = pref58.get(url(f"{route}-list"))
        assert response.status_code == 200
        return len(response.json()["results"]), len(queries)

    remplir(2, start=100)
    pref58.get(url(f"{route}-list"))  # the first request of a session also saves the session
    rows_2, queries_2 = count()
    remplir(18, start=200)
    rows_20, queries_20 = count()

    assert (rows_2, rows_20) == (2, 20)
    assert queries_20 == queries_2


# Every answer as the schema documents it ------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _json_schema(node):
    """OpenAPI 3.0's `nullable` in JSON Schema's words (jsonschema ignores it otherwise)."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def _documented(schema, path: str, method: str, response) -> None:
    responses = schema["paths"][path][method]["responses"]
    assert str(response.status_code) in responses, (path, method, response.status_code)
    body_schema = responses[str(response.status_code)]["content"]["application/json"]["schema"]
    jsonschema.validate(
        response.json(), _json_schema({**body_schema, "components": schema["components"]})
    )


def test_each_answer_is_documented_with_its_body(
    schema, pref58, commune_clamecy, adhesion_signee, pdf
):
    commune = Client()
    commune.force_login(commune_clamecy)
    cadre = convention_services.create_convention_cadre(
        by=adhesion_signee.created_by, adhesion=adhesion_signee
    )
    avenant = convention_services.create_avenant(
        by=adhesion_signee.created_by, convention=adhesion_signee, objet="Ajout"
    )
    candidature = Candidature.objects.get()
    answers = [
        ("/api/v1/candidatures/", "get", pref58.get(url("candidature-list"))),
        (
            "/api/v1/candidatures/{id}/",
            "get",
            pref58.get(url("candidature-detail", candidature.pk)),
        ),
        ("/api/v1/candidatures/{id}/", "get", pref58.get(url("candidature-detail", 999))),
        (
            "/api/v1/candidatures/",
            "post",
            post(
                pref58, url("candidature-list"), {"communes": ["58062"], "deposee_le": "2021-01-04"}
            ),
        ),
        ("/api/v1/candidatures/", "post", post(pref58, url("candidature-list"), {})),
        (
            "/api/v1/candidatures/",
            "post",
            post(
                commune,
                url("candidature-list"),
                {"communes": ["58062"], "deposee_le": "2021-01-04"},
            ),
        ),
        (
            "/api/v1/candidatures/{id}/retirer/",
            "post",
            post(commune, url("candidature-retirer", candidature.pk), {}),
        ),
        ("/api/v1/candidatures/", "get", pref58.get(url("candidature-list"), {"annee": "x"})),
        ("/api/v1/conventions-adhesion/", "get", pref58.get(url("convention-adhesion-list"))),
        (
            "/api/v1/conventions-adhesion/{id}/",
            "patch",
            patch(pref58, detail(adhesion_signee), {}),
        ),
        (
            "/api/v1/conventions-adhesion/{id}/",
            "patch",
            patch(pref58, detail(adhesion_signee), {}, headers={"If-Match": '"1"'}),
        ),
        ("/api/v1/conventions-cadre/", "get", pref58.get(url("convention-cadre-list"))),
        (
            "/api/v1/conventions-cadre/{id}/",
            "patch",
            patch(
                pref58,
                url("convention-cadre-detail", cadre.pk),
                {"orientations": []},
                headers={"If-Match": '"1"'},
            ),
        ),
        (
            "/api/v1/avenants/{id}/signer/",
            "post",
            pref58.post(
                url("avenant-signer", avenant.pk),
                {"signee_le": "2021-10-01", "document": pdf(), "version": 1},
            ),
        ),
        ("/api/v1/avenants/", "get", pref58.get(url("avenant-list"))),
        ("/api/v1/dossiers/", "get", pref58.get(url("dossier-list"))),
        ("/api/v1/dossiers/{code}/", "get", pref58.get(url("dossier-detail", "58079"))),
        ("/api/v1/dossiers/", "get", pref58.get(url("dossier-list"), {"page": "9"})),
        ("/api/v1/dossiers/", "get", Client().get(url("dossier-list"))),
    ]

    codes = {response.status_code for _, _, response in answers}
    assert codes == {200, 201, 400, 401, 403, 404, 412, 428}
    for path, method, response in answers:
        _documented(schema, path, method, response)
