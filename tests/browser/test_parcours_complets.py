"""The main journeys that complete test_parcours.py (a préfecture takes a commune from its
candidature to a signed convention d'adhésion, then to its ORT): a commune reads every tab of
its dossier and downloads its signed convention; the ANCT asks for a note de suivi, sees it
become « prête » and downloads its PDF."""

from pathlib import Path

import pytest

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def download(page, link) -> tuple[str, bytes]:
    """Click `link` and return the downloaded file's suggested name and content."""
    with page.expect_download() as info:
        link.click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def test_a_commune_reads_each_tab_of_its_dossier(
    page, commune_clamecy, adhesion_signee, poste, pilier2, webinaire, axe, screenshot
):
    login(page, commune_clamecy.email)
    page.get_by_role("link", name="Voir mon dossier").click()

    assert page.get_by_role("heading", level=1, name="Clamecy").is_visible()
    tabs = page.get_by_role("tablist", name="Dossier de Clamecy")
    names = tabs.get_by_role("tab").all_inner_texts()
    assert names == ["Parcours", "Ingénierie", "Actions", "Financements", "Club", "Historique"]
    # Each tab shows its panel, with what was recorded for Clamecy by the préfecture, the
    # partner and the ANCT; each panel, once shown, passes the accessibility audit.
    expected = {
        "Parcours": "signée le 21 juin 2021",
        "Ingénierie": "60 000",
        "Actions": "Rénovation des halles",
        "Financements": "Halles : travaux",
        "Club": "Revitaliser les commerces de centre-ville",
        "Historique": "Déposée → Instruite",
    }
    for name, text in expected.items():
        tab = tabs.get_by_role("tab", name=name, exact=True)
        tab.click()
        assert tab.get_attribute("aria-selected") == "true"
        panel = page.locator(f"#{tab.get_attribute('aria-controls')}")
        panel.get_by_text(text).first.wait_for()
        assert panel.is_visible()
        screenshot(f"mon-dossier-{name.lower()}")
        assert axe() == [], name
    # Another commune's dossier is not there for it.
    assert page.request.get("/dossiers/58013/").status == 404

    # The signed convention, downloaded from the journey's tab.
    tabs.get_by_role("tab", name="Parcours").click()
    name, content = download(page, page.get_by_role("link", name="Convention signée (PDF)"))
    assert name.endswith(".pdf")
    assert content.startswith(b"%PDF")
    assert page.errors == []


def test_the_anct_requests_a_note_and_downloads_it(page, anct, adhesion_signee, screenshot):
    login(page, anct.email)
    page.goto("/notes/")
    assert page.get_by_text("Aucune note de suivi pour l’instant.").is_visible()

    page.get_by_label("Territoire").select_option(label="58 — Nièvre")
    page.get_by_label("Chiffres au").fill("2021-12-31")
    screenshot("note-demande")
    page.get_by_role("button", name="Demander la note").click()

    # The note's page follows the request and refreshes itself until the note is ready
    # (Celery runs eagerly in tests: the note is built once the request is committed).
    page.wait_for_url("**/notes/*/")
    assert page.get_by_text("Votre demande de note de suivi est enregistrée.").is_visible()
    page.get_by_role("heading", name="La note est prête").wait_for(timeout=20_000)
    assert page.get_by_role("heading", level=1, name="Note de suivi — Nièvre").is_visible()
    assert page.get_by_text("Chiffres au 31 décembre 2021").is_visible()
    screenshot("note-prete")
    name, content = download(page, page.get_by_role("link", name="Télécharger la note (PDF)"))
    assert name.endswith(".pdf")
    assert content.startswith(b"%PDF")

    # The list of notes shows it ready, with its link.
    page.get_by_role("link", name="Toutes les notes de suivi").click()
    row = page.get_by_role("row").filter(has_text="Nièvre")
    assert row.get_by_text("Prête").is_visible()
    _, listed = download(page, row.get_by_role("link", name="PDF"))
    assert listed == content
    screenshot("notes-liste")
    assert page.errors == []
