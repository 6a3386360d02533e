"""A commune's whole journey, in the browser: the préfecture files the candidature, instructs
it, records the comité régional's decision, prepares and signs the convention d'adhésion and
then the convention-cadre valant ORT; the commune's user reads each step on its dossier."""

import re

import pytest

from communes.enums import Role
from tests.factories import MOT_DE_PASSE, HabilitationFactory, UserFactory
from tests.fixtures_parcours import pdf_bytes

# Earlier transactional tests flush every table, including the rows that data migrations seed:
# the `orientations` fixture seeds them again (a serialized rollback would re-insert content
# types that other tests re-created, and fail on their unique constraint).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, email):
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/accueil/")


def sign(page, date: str, screenshot=None):
    page.get_by_role("link", name="Signer").click()
    page.get_by_label("Signée le").fill(date)
    page.get_by_label("Document signé").set_input_files(
        {"name": "convention.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    if screenshot:
        screenshot()
    page.get_by_role("button", name="Signer").click()


def test_a_prefecture_takes_a_commune_to_a_signed_ort(
    page, monde, prefecture_58, orientations, screenshot
):
    maire = UserFactory(email="maire@chateau-chinon.fr")
    HabilitationFactory(user=maire, role=Role.COMMUNE, commune=monde.chateau_chinon)
    login(page, "pref58@nievre.gouv.fr")

    # Candidature, instruction, decision of the comité régional.
    page.get_by_role("link", name="Nouvelle candidature").first.click()
    page.get_by_label("Communes candidates").select_option(label="Château-Chinon (Ville) (58062)")
    page.get_by_label("Déposée le").fill("2020-11-02")
    page.get_by_label("Présentation du projet").fill("Revitaliser le centre historique")
    screenshot("parcours-1-candidature")
    page.get_by_role("button", name="Enregistrer la candidature").click()
    page.get_by_label("Favorable", exact=True).check(force=True)
    page.get_by_label("Date de l’avis").fill("2020-11-20")
    page.get_by_role("button", name="Enregistrer l’avis").click()
    page.get_by_label("Retenue", exact=True).check(force=True)
    page.get_by_label("Date du comité régional").fill("2020-12-10")
    page.get_by_role("button", name="Enregistrer la décision").click()
    assert page.get_by_text("Retenue", exact=True).first.is_visible()

    # Convention d'adhésion: prepared from the dossier, then signed.
    page.get_by_role("link", name="Château-Chinon (Ville)").first.click()
    page.get_by_role("link", name="Préparer la convention d’adhésion").click()
    page.get_by_label("Le conseil départemental cosigne").check(force=True)
    page.get_by_role("button", name="Enregistrer").click()
    sign(page, "2021-07-23", lambda: screenshot("parcours-2-signature"))
    assert page.get_by_text("Signée le 23 juillet 2021").is_visible()

    # Convention-cadre valant ORT.
    page.get_by_role("link", name="Préparer la convention-cadre valant ORT").click()
    page.get_by_label("Habitat et rénovation de l’habitat").check(force=True)
    page.get_by_role("button", name="Enregistrer").click()
    sign(page, "2023-01-18")
    assert page.get_by_text("Signée le 18 janvier 2023").is_visible()
    page.get_by_role("link", name="Château-Chinon (Ville)").first.click()
    screenshot("parcours-3-dossier-prefecture")
    page.get_by_role("button", name="Se déconnecter").click()

    # The commune reads each step on its dossier.
    login(page, "maire@chateau-chinon.fr")
    page.get_by_role("link", name="Voir mon dossier").click()
    text = page.locator("main").inner_text()
    for step in (
        "Instruite le 20 novembre 2020 : avis favorable",
        "Retenue par le comité régional le 10 décembre 2020",
        "signée le 23 juillet 2021",
        "Achevé par la convention-cadre valant ORT signée le 18 janvier 2023",
        "Orientations : Habitat et rénovation de l’habitat",
        "pref58@nievre.gouv.fr",
    ):
        assert step in text, step
    assert re.search(r"Étape 4 sur 4|Step 4 of 4", text)
    screenshot("parcours-4-mon-dossier")
    page.get_by_role("tab", name="Historique").click()
    page.get_by_text("Déposée → Instruite").first.wait_for()
    screenshot("parcours-5-historique")
    assert page.errors == []
