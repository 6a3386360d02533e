"""The notes de suivi in the REST API (`pvd.api.notes`): read with the dashboard's rule
(`NoteSuiviQuerySet.for_user`, outside → 404), their state and the reason of a failure, the
link of the PDF once ready, the request through `demander_note` (201 new, 200 existing, 403 not
allowed, 400 unreadable), a permission matrix of every route and constant query counts."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pvd.api.urls import notes_router
from pvd.models import EtatNote, NoteSuivi
from pvd.notes import pdf as note_pdf
from tests.conftest import PERSONAS
from tests.fixtures_parcours import pdf_bytes

JOUR = date(2021, 10, 15)
NOTES = reverse("api:note-list")


def detail(pk: int) -> str:
    return reverse("api:note-detail", args=[pk])


def post(client, data):
    return client.post(NOTES, data, content_type="application/json")


def _note(perimetre: str, etat=EtatNote.PRETE, jour=JOUR, **champs) -> NoteSuivi:
    if etat == EtatNote.PRETE:
        champs = {"valeurs": {"communes_pvd": 2}, "prete_le": timezone.now(), **champs}
    note = NoteSuivi.objects.create(perimetre=perimetre, date=jour, etat=etat, **champs)
    if etat == EtatNote.PRETE:
        note.fichier.save("note.pdf", ContentFile(pdf_bytes()))
    return note


@pytest.fixture
def rendus(monkeypatch):
    """The PDF renderer replaced by a one-page PDF (the real one is tested in test_notes)."""
    calls = []

    def render(**kwargs):
        calls.append(kwargs)
        return pdf_bytes()

    monkeypatch.setattr(note_pdf, "render_note_pdf", render)
    return calls


# Reading ----------------------------------------------------------------------------------------


def test_a_ready_note_gives_its_figures_and_its_pdf_link(as_persona, monde):
    note = _note("departement:58")

    response = as_persona("prefecture_58").get(detail(note.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["perimetre"] == "departement:58"
    assert body["perimetre_libelle"] == "Nièvre (58)"
    assert body["date"] == "2021-10-15"
    assert body["etat"] == "prete"
    assert body["motif_echec"] == ""
    assert body["valeurs"] == {"communes_pvd": 2}
    assert body["page"] == reverse("note_detail", args=[note.pk])
    assert body["pdf"] == f"http://testserver{reverse('note_pdf', args=[note.pk])}"
    pdf = as_persona("prefecture_58").get(body["pdf"])
    assert pdf.status_code == 200
    pdf.close()


def test_a_failed_note_gives_its_reason_and_no_pdf(as_persona, monde):
    note = _note("FR", EtatNote.ECHEC, motif_echec="Erreur pendant le calcul.")

    body = as_persona("commune_clamecy").get(detail(note.pk)).json()

    assert body["etat"] == "echec"
    assert body["motif_echec"] == "Erreur pendant le calcul."
    assert body["pdf"] is None
    assert body["valeurs"] is None


@pytest.mark.parametrize(
    ("persona", "visibles"),
    [
        ("anct", {"FR", "region:27", "region:84", "departement:58", "departement:07"}),
        ("prefecture_58", {"FR", "departement:58"}),
        ("region_27", {"FR", "region:27", "departement:58"}),
        ("commune_clamecy", {"FR"}),
        ("partenaire", {"FR", "region:27", "region:84", "departement:58", "departement:07"}),
    ],
)
def test_the_list_holds_the_notes_of_the_dashboards_one_reads(as_persona, monde, persona, visibles):
    for param in ("FR", "region:27", "region:84", "departement:58", "departement:07"):
        _note(param, EtatNote.EN_ATTENTE)

    response = as_persona(persona).get(NOTES)

    assert response.status_code == 200
    assert {row["perimetre"] for row in response.json()["results"]} == visibles


def test_a_note_outside_the_perimeter_answers_404(as_persona, monde):
    note = _note("departement:58")

    response = as_persona("prefecture_07").get(detail(note.pk))

    assert response.status_code == 404
    assert response.json() == {"detail": "Note introuvable ou hors de votre périmètre."}


def test_an_id_that_is_not_a_number_answers_the_json_404(as_persona, monde):
    # Found by the fuzzer (`make fuzz`): `0.5` missed the route and got Django's HTML 404.
    response = as_persona("anct").get(f"{NOTES}0.5/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Note introuvable ou hors de votre périmètre."}


def test_notes_are_filtered_by_perimeter_state_and_date(as_persona, monde):
    a = _note("FR")
    b = _note("FR", EtatNote.ECHEC, jour=date(2022, 3, 31))
    c = _note("departement:58", EtatNote.EN_COURS, jour=date(2022, 3, 31))
    client = as_persona("anct")

    def ids(params):
        response = client.get(NOTES, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids({}) == [c.pk, b.pk, a.pk]  # the most recent first
    assert ids({"perimetre": "FR"}) == [b.pk, a.pk]
    assert ids({"etat": "en_cours"}) == [c.pk]
    assert ids({"date": "2021-10-15"}) == [a.pk]
    assert client.get(NOTES, {"etat": "perdue"}).status_code == 400


def test_the_list_takes_the_same_queries_for_2_and_20_notes(as_persona, monde):
    client = as_persona("region_27")

    def count() -> int:
        client.get(NOTES)  # a first request may warm per-process caches (the menus)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(NOTES).status_code == 200
        return len(queries)

    for jour in range(1, 3):
        _note("region:27", jour=date(2021, 10, jour))
        _note("departement:58", EtatNote.EN_ATTENTE, jour=date(2021, 10, jour))
    deux = count()
    for jour in range(3, 11):
        _note("region:27", jour=date(2021, 10, jour))
        _note("departement:58", EtatNote.EN_ATTENTE, jour=date(2021, 10, jour))

    assert client.get(NOTES).json()["count"] == 20
    assert count() == deux


# Requesting -------------------------------------------------------------------------------------


def test_requesting_a_note_builds_it_and_asking_again_returns_it(
    as_persona, referentiel, rendus, django_capture_on_commit_callbacks
):
    client = as_persona("prefecture_58")

    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, {"perimetre": "departement:58", "date": "2021-10-15"})
    again = post(client, {"perimetre": "departement:58", "date": "2021-10-15"})

    assert first.status_code == 201, first.content
    assert first.json()["etat"] == "en_attente"  # as answered; the worker builds it after
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["etat"] == "prete"
    assert again.json()["pdf"]
    assert NoteSuivi.objects.count() == 1
    assert len(rendus) == 1


def test_the_date_defaults_to_today(as_persona, monde, django_capture_on_commit_callbacks):
    response = post(as_persona("anct"), {"perimetre": "FR"})

    assert response.status_code == 201
    assert response.json()["date"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("persona", "data", "status", "message"),
    [
        ("prefecture_58", {"perimetre": "FR"}, 403, "ne pouvez pas demander"),
        ("commune_clamecy", {"perimetre": "FR"}, 403, "ne pouvez pas demander"),
        ("anct", {"perimetre": "canton:58"}, 400, "Périmètre « canton:58 » inconnu"),
        ("anct", {"perimetre": "departement:99"}, 400, "n’existe pas dans le référentiel"),
        ("anct", {}, 400, "champ « perimetre »"),
        ("anct", {"perimetre": "FR", "date": "15 octobre"}, 400, "AAAA-MM-JJ"),
        ("anct", {"perimetre": "FR", "date": "2999-01-01"}, 400, "dans le futur"),
    ],
)
def test_a_request_that_cannot_be_served_says_why_and_writes_nothing(
    as_persona, monde, persona, data, status, message
):
    response = post(as_persona(persona), data)

    assert response.status_code == status
    assert message in response.json()["detail"]
    assert not NoteSuivi.objects.exists()


# Permission matrix ------------------------------------------------------------------------------

SIGNED_IN = {"anonyme": 401, **dict.fromkeys(PERSONAS[1:], 200)}
NIEVRE = {
    **SIGNED_IN,
    **dict.fromkeys(["prefecture_07", "commune_clamecy", "epci_haut_nivernais"], 404),
}
# Asking for the Nièvre's note: the ANCT and its préfecture (a région asks for its région's).
DEMANDE = {
    "anonyme": 401,
    **dict.fromkeys(PERSONAS[1:], 403),
    **dict.fromkeys(["anct", "prefecture_58"], 201),
}
MATRIX = {
    "note-list": ("get", lambda note: [], SIGNED_IN),
    "note-list:post": ("post", lambda note: [], DEMANDE),
    "note-detail": ("get", lambda note: [note.pk], NIEVRE),
}


def test_every_route_of_the_notes_is_in_the_matrix():
    assert {url.name for url in notes_router.urls} == {r.partition(":")[0] for r in MATRIX}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_permission_matrix(as_persona, route, persona):
    method, args, expected = MATRIX[route]
    note = _note("departement:58", jour=date(2021, 1, 4))
    url = reverse(f"api:{route.partition(':')[0]}", args=args(note))
    client = as_persona(persona)

    if method == "post":
        response = post(client, {"perimetre": "departement:58", "date": "2021-10-15"})
    else:
        response = client.get(url)

    assert response.status_code == expected[persona], response.content
