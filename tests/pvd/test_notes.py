"""The notes de suivi: requested once, built once by a task that may run twice, failures
recorded, a PDF that follows seed 001 and compares with the previous note, published snapshots
that never change, who may read and ask, and the quarterly national note."""

import io
import re
from datetime import date, timedelta

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from club.enums import Canal
from club.models import MesureAudience
from communes.perimetre import NATIONAL, Perimetre
from pvd import tasks
from pvd.exceptions import DomainError, NotAllowed
from pvd.indicateurs import REGISTRE, Contexte, calculer
from pvd.indicateurs.registre import SCALAIRES
from pvd.models import EtatNote, NoteSuivi
from pvd.notes import pdf as note_pdf
from pvd.notes import services
from pvd.notes.services import demander_note
from tests.fixtures_parcours import pdf_bytes

JOUR = date(2021, 10, 15)


@pytest.fixture
def rendus(monkeypatch):
    """The PDF renderer replaced by a one-page PDF, counting its calls (for the tests about
    the workflow; `test_the_pdf_*` render the real note)."""
    calls = []

    def render(**kwargs):
        calls.append(kwargs)
        return pdf_bytes()

    monkeypatch.setattr(note_pdf, "render_note_pdf", render)
    return calls


def _demander(user, param="FR", jour=JOUR, *, capture):
    """Ask for a note and run what is queued on commit (the task, eager in tests)."""
    with capture(execute=True):
        return demander_note(by=user, perimetre=Perimetre.parse(param), jour=jour)


def _publiee(param: str, jour: date, valeurs: dict | None = None) -> NoteSuivi:
    return NoteSuivi.objects.create(
        perimetre=param,
        date=jour,
        etat=EtatNote.PRETE,
        valeurs=valeurs or {},
        prete_le=timezone.now(),
    )


def _texte(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


# --- Requests and the task ----------------------------------------------------------------


def test_requesting_twice_gives_one_note(
    anct, prefecture_58, referentiel, rendus, django_capture_on_commit_callbacks
):
    first = _demander(anct, "departement:58", capture=django_capture_on_commit_callbacks)
    second = _demander(prefecture_58, "departement:58", capture=django_capture_on_commit_callbacks)

    assert second.pk == first.pk
    assert NoteSuivi.objects.count() == 1
    assert second.demandee_par == anct
    assert len(rendus) == 1


def test_a_request_is_queued_on_commit_and_waits(anct, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        note = demander_note(by=anct, perimetre=NATIONAL, jour=JOUR)

    assert note.etat == EtatNote.EN_ATTENTE
    assert len(callbacks) == 1


def test_the_task_run_twice_builds_once(
    anct, referentiel, rendus, django_capture_on_commit_callbacks
):
    note = _demander(anct, capture=django_capture_on_commit_callbacks)
    note.refresh_from_db()
    fichier, valeurs, prete_le = note.fichier.name, note.valeurs, note.prete_le

    assert tasks.construire_note.delay(note.pk).get() == EtatNote.PRETE

    note.refresh_from_db()
    assert note.etat == EtatNote.PRETE
    assert (note.fichier.name, note.valeurs, note.prete_le) == (fichier, valeurs, prete_le)
    assert re.fullmatch(r"notes/[0-9a-f]{32}\.pdf", note.fichier.name)
    assert len(rendus) == 1


def test_a_note_held_by_another_worker_is_left_to_it_until_its_hold_expires(
    anct, referentiel, rendus
):
    note = NoteSuivi.objects.create(
        perimetre="FR", date=JOUR, etat=EtatNote.EN_COURS, commencee_le=timezone.now()
    )

    with pytest.raises(services.NoteEnCours):
        services.construire_note(note.pk)
    assert rendus == []

    # The worker died: once its hold is over, the redelivered task takes the note over.
    NoteSuivi.objects.filter(pk=note.pk).update(
        commencee_le=timezone.now() - services._bail() - timedelta(seconds=1)
    )
    assert services.construire_note(note.pk).etat == EtatNote.PRETE
    assert len(rendus) == 1


def test_a_failure_records_the_reason_and_the_note_can_be_asked_again(
    anct, referentiel, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise ValueError("mise en page impossible")

    monkeypatch.setattr(note_pdf, "render_note_pdf", broken)
    failed = _demander(anct, capture=django_capture_on_commit_callbacks)
    failed.refresh_from_db()

    assert failed.etat == EtatNote.ECHEC
    assert "mise en page du PDF" in failed.motif_echec
    assert not failed.fichier
    assert failed.valeurs is None

    monkeypatch.setattr(note_pdf, "render_note_pdf", lambda **kwargs: pdf_bytes())
    again = _demander(anct, capture=django_capture_on_commit_callbacks)
    again.refresh_from_db()

    assert again.pk != failed.pk
    assert again.etat == EtatNote.PRETE
    # A failed note stays failed: running its task again does nothing.
    assert tasks.construire_note.delay(failed.pk).get() == EtatNote.ECHEC


def test_a_transient_error_gives_the_note_back_for_a_retry(anct, referentiel, rendus, monkeypatch):
    note = NoteSuivi.objects.create(perimetre="FR", date=JOUR)
    real = services.NoteSuivi.objects.precedente
    failures = iter([OperationalError("database is locked")])

    def flaky(*args):
        for error in failures:
            raise error
        return real(*args)

    monkeypatch.setattr(NoteSuivi.objects, "precedente", flaky)

    with pytest.raises(OperationalError):
        services.construire_note(note.pk)
    note.refresh_from_db()
    assert note.etat == EtatNote.EN_ATTENTE

    assert services.construire_note(note.pk).etat == EtatNote.PRETE


def test_a_future_date_is_refused(anct):
    with pytest.raises(DomainError, match="ne peut pas être dans le futur"):
        demander_note(by=anct, perimetre=NATIONAL, jour=timezone.localdate() + timedelta(days=1))
    assert not NoteSuivi.objects.exists()


def test_an_unknown_territory_is_refused(anct):
    with pytest.raises(DomainError, match="n’existe pas"):
        demander_note(by=anct, perimetre=Perimetre.parse("departement:99"), jour=JOUR)


@pytest.mark.parametrize(
    ("persona", "param", "allowed"),
    [
        ("anct", "FR", True),
        ("anct", "departement:07", True),
        ("prefecture_58", "departement:58", True),
        ("prefecture_58", "departement:07", False),
        ("prefecture_58", "region:27", False),
        ("prefecture_58", "FR", False),
        ("region_27", "region:27", True),
        ("region_27", "departement:58", False),
        ("region_27", "FR", False),
        ("commune_clamecy", "departement:58", False),
        ("partenaire", "FR", False),
    ],
)
def test_who_may_ask_for_a_note(
    request, persona, param, allowed, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(persona)
    with django_capture_on_commit_callbacks():
        if allowed:
            demander_note(by=user, perimetre=Perimetre.parse(param), jour=JOUR)
        else:
            with pytest.raises(NotAllowed):
                demander_note(by=user, perimetre=Perimetre.parse(param), jour=JOUR)

    assert NoteSuivi.objects.exists() == allowed


# --- The PDF and its snapshot -------------------------------------------------------------


def test_the_pdf_follows_seed_001_and_compares_with_the_previous_note(
    anct, referentiel, adhesion_signee, django_capture_on_commit_callbacks
):
    # The previous published note of France, with a value for every figure.
    valeurs = {cle: 1 for cle, i in REGISTRE.items() if i.unite in SCALAIRES}
    previous = _publiee("FR", date(2021, 7, 15), valeurs)
    _publiee("departement:58", date(2021, 9, 1), valeurs)  # another perimeter: not compared

    note = _demander(anct, capture=django_capture_on_commit_callbacks)
    note.refresh_from_db()

    assert note.etat == EtatNote.PRETE, note.motif_echec
    assert note.precedente == previous
    with note.fichier.open("rb") as stream:
        content = stream.read()
    pages, text = _texte(content)
    assert pages >= 2
    assert "Petites villes de demain" in text
    assert "Suivi national" in text
    assert "Chiffres-clés du déploiement du programme" in text
    assert "Chiffres au 15 octobre 2021" in text
    assert "Tableau de bord" in text
    assert "Le Club" in text
    assert "À propos du programme Petites villes de demain" in text
    # Each figure with its change since the previous note.
    assert "en juillet 2021" in text
    assert re.search(r"contre [\d\s,]+(%|€)?\s?en juillet 2021", text)
    # Page numbers, and the Marianne font embedded.
    assert f"2 / {pages}" in text
    fonts = {
        font.get_object()["/BaseFont"]
        for page in PdfReader(io.BytesIO(content)).pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("Marianne" in name for name in fonts)


def test_the_pdf_of_a_first_note_says_there_is_nothing_to_compare(monde, referentiel):
    content = note_pdf.render_note_pdf(
        perimetre_libelle="Nièvre (58)",
        jour=JOUR,
        valeurs=calculer(Contexte(Perimetre.parse("departement:58"), JOUR)),
        precedente=None,
        perimetre="departement:58",
    )

    pages, text = _texte(content)
    assert pages >= 2
    assert "Suivi départemental" in text
    assert "Nièvre (58)" in text
    assert "première note de suivi" in text
    assert not re.search(r"contre \d", text)


def test_a_published_snapshot_does_not_change_when_the_data_changes(
    anct, referentiel, rendus, django_capture_on_commit_callbacks
):
    note = _demander(anct, capture=django_capture_on_commit_callbacks)
    note.refresh_from_db()
    published = dict(note.valeurs)
    with note.fichier.open("rb") as stream:
        content = stream.read()

    # An audience figure typed afterwards, for a day before the note's date.
    MesureAudience.objects.create(canal=Canal.LINKEDIN, date=date(2021, 10, 1), valeur=10_800)
    assert calculer(Contexte(NATIONAL, JOUR))["club_audience_linkedin"] == 10_800

    assert _demander(anct, capture=django_capture_on_commit_callbacks).pk == note.pk
    tasks.construire_note.delay(note.pk)
    note.refresh_from_db()
    assert note.valeurs == published
    assert published["club_audience_linkedin"] is None
    with note.fichier.open("rb") as stream:
        assert stream.read() == content

    # The next note has the new figure, and is compared with the published one.
    later = _demander(
        anct, jour=JOUR + timedelta(days=1), capture=django_capture_on_commit_callbacks
    )
    later.refresh_from_db()
    assert later.valeurs["club_audience_linkedin"] == 10_800
    assert later.precedente == note
    assert rendus[-1]["precedente"] == note


# --- Pages --------------------------------------------------------------------------------


@pytest.fixture
def notes(monde):
    return {
        param: _publiee(param, JOUR)
        for param in ("FR", "region:27", "region:84", "departement:58", "departement:07")
    }


@pytest.mark.parametrize(
    ("persona", "visibles"),
    [
        ("anct", {"FR", "region:27", "region:84", "departement:58", "departement:07"}),
        ("prefecture_58", {"FR", "departement:58"}),
        ("prefecture_07", {"FR", "departement:07"}),
        ("region_27", {"FR", "region:27", "departement:58"}),
        ("commune_clamecy", {"FR"}),
        ("epci_haut_nivernais", {"FR"}),
        # A national partner reads every perimeter's dashboard, so every note.
        ("partenaire", {"FR", "region:27", "region:84", "departement:58", "departement:07"}),
    ],
)
def test_who_reads_which_notes(request, notes, persona, visibles):
    user = request.getfixturevalue(persona)

    assert set(NoteSuivi.objects.for_user(user).values_list("perimetre", flat=True)) == visibles


def test_anonymous_visitors_read_no_note(notes, client):
    from django.contrib.auth.models import AnonymousUser

    assert not NoteSuivi.objects.for_user(AnonymousUser()).exists()
    response = client.get(reverse("note_list"))
    assert response.status_code == 302


def _with_file(note: NoteSuivi) -> NoteSuivi:
    from django.core.files.base import ContentFile

    note.fichier.save("x.pdf", ContentFile(pdf_bytes()))
    return note


def test_prefecture_of_another_departement_gets_404(notes, as_persona):
    note = _with_file(notes["departement:58"])
    client = as_persona("prefecture_07")

    assert client.get(reverse("note_detail", args=[note.pk])).status_code == 404
    assert client.get(reverse("note_pdf", args=[note.pk])).status_code == 404


def test_the_pdf_is_downloaded_as_an_attachment(notes, as_persona):
    note = _with_file(notes["departement:58"])

    response = as_persona("prefecture_58").get(reverse("note_pdf", args=[note.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        'attachment; filename="note-de-suivi-departement-58-2021-10-15.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_note_not_ready_has_no_pdf(monde, as_persona):
    note = NoteSuivi.objects.create(perimetre="FR", date=JOUR)

    client = as_persona("anct")
    assert client.get(reverse("note_pdf", args=[note.pk])).status_code == 404
    page = client.get(reverse("note_detail", args=[note.pk]))
    assert page.status_code == 200
    assert "en attente de préparation" in page.content.decode()
    assert 'hx-trigger="every 3s"' in page.content.decode()


def test_commune_user_cannot_ask_for_a_note(as_persona):
    client = as_persona("commune_clamecy")

    response = client.post(reverse("note_create"), {"perimetre": "FR", "jour": "2021-10-15"})

    assert response.status_code == 403
    assert not NoteSuivi.objects.exists()
    assert "Demander une note" not in client.get(reverse("note_list")).content.decode()


def test_prefecture_asks_for_its_departement_only(as_persona):
    client = as_persona("prefecture_58")

    page = client.get(reverse("note_list")).content.decode()
    assert 'value="departement:58"' in page
    assert 'value="FR"' not in page
    response = client.post(reverse("note_create"), {"perimetre": "FR", "jour": "2021-10-15"})
    assert response.status_code == 400
    assert not NoteSuivi.objects.exists()


def test_anct_asks_for_a_note_and_follows_its_progress(
    as_persona, referentiel, rendus, django_capture_on_commit_callbacks
):
    client = as_persona("anct")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("note_create"), {"perimetre": "departement:58", "jour": "2021-10-15"}
        )

    note = NoteSuivi.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("note_detail", args=[note.pk])
    assert note.etat == EtatNote.PRETE
    page = client.get(reverse("note_list")).content.decode()
    assert "Nièvre (58)" in page
    assert reverse("note_pdf", args=[note.pk]) in page
    assert "hx-trigger" not in page  # nothing pending: no polling


def test_a_failed_request_shows_its_reason(monde, as_persona):
    NoteSuivi.objects.create(
        perimetre="FR", date=JOUR, etat=EtatNote.ECHEC, motif_echec="Erreur pendant le calcul."
    )

    page = as_persona("prefecture_58").get(reverse("note_list")).content.decode()

    assert "Échec" in page
    assert "Erreur pendant le calcul." in page


# --- The quarterly note -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2021, 10, 1), date(2021, 9, 30)),
        (date(2022, 1, 1), date(2021, 12, 31)),
        (date(2022, 4, 3), date(2022, 3, 31)),
        (date(2022, 7, 1), date(2022, 6, 30)),
    ],
)
def test_the_quarter_just_ended(today, expected):
    assert services.fin_du_trimestre_precedent(today) == expected


def test_the_quarterly_task_creates_the_national_note_once(
    monde, referentiel, rendus, monkeypatch, settings, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2021, 10, 1))

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.preparer_note_trimestrielle.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.preparer_note_trimestrielle.delay().get()

    note = NoteSuivi.objects.get()
    assert first == second == note.pk
    assert (note.perimetre, note.date, note.demandee_par) == ("FR", date(2021, 9, 30), None)
    assert note.etat == EtatNote.PRETE
    assert len(rendus) == 1
    entry = settings.CELERY_BEAT_SCHEDULE["note-de-suivi-trimestrielle"]
    assert entry["task"] == tasks.preparer_note_trimestrielle.name


def test_without_analysed_conventions_the_note_prints_no_share_of_them(monde, referentiel):
    from pvd.notes import contenu

    valeurs = services._instantane(calculer(Contexte(NATIONAL, JOUR)))
    valeurs |= {"conventions_adhesion_signees": 3, "conventions_adhesion_analysees": 0}

    textes = str(contenu.parties(valeurs, None, None))  # every text of every part

    assert "Aucune convention d’adhésion n’était encore analysée à cette date." in textes
    assert "des comités de projet créés sont co-présidés" not in textes
    assert "conseils départementaux et régionaux se sont respectivement engagés" not in textes
    assert "Co-présidences par les maires" not in textes  # not listed among the others either


def test_asking_again_in_the_page_says_the_note_exists(as_persona, rendus):
    client = as_persona("prefecture_58")
    demande = {"perimetre": "departement:58", "jour": "2021-10-15"}

    first = client.post(reverse("note_create"), demande, follow=True)
    second = client.post(reverse("note_create"), demande, follow=True)

    assert "Votre demande de note de suivi est enregistrée." in first.text
    assert "Cette note a déjà été demandée : la voici." in second.text
    assert NoteSuivi.objects.count() == 1
