from urllib.parse import urlparse

import pytest

from tests.factories import MOT_DE_PASSE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_page_is_a_dsfr_page_without_script_errors(page, monde, screenshot):
    page.goto("/")

    assert page.title() == "Accueil — Petites villes de demain"
    header = page.locator("header.fr-header")
    assert header.is_visible()
    # The DSFR stylesheet and the Marianne font are loaded and applied.
    font = header.evaluate("element => getComputedStyle(element).fontFamily")
    assert "Marianne" in font
    assert page.locator(".fr-footer").get_by_text("Accessibilité : non conforme").is_visible()
    screenshot("accueil-public")
    assert page.errors == []


def test_the_search_answers_as_one_types(page, monde, screenshot):
    page.goto("/territoires/")

    page.get_by_role("searchbox").fill("clamecy")

    results = page.locator("#resultats")
    results.get_by_role("link", name="Clamecy", exact=True).wait_for()
    assert "q=clamecy" in page.url  # the address follows the search
    screenshot("recherche")
    assert page.errors == []


@pytest.mark.parametrize(
    ("persona", "email", "heading"),
    [
        ("anct", "anct@anct.gouv.fr", "France entière"),
        ("prefecture_58", "pref58@nievre.gouv.fr", "Nièvre"),
        ("region_27", "sgar@bfc.gouv.fr", "Bourgogne-Franche-Comté"),
        ("commune_clamecy", "maire@clamecy.fr", "Mon dossier — Clamecy"),
        ("epci_haut_nivernais", "dgs@cchnvy.fr", "CC Haut Nivernais - Val d'Yonne"),
        ("partenaire", "agent@banquedesterritoires.fr", "Banque des Territoires"),
    ],
)
def test_each_persona_logs_in_and_lands_on_its_home(
    request, page, persona, email, heading, screenshot
):
    request.getfixturevalue(persona)
    page.goto("/connexion/")

    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()

    page.wait_for_url("**/accueil/")
    assert page.get_by_role("heading", level=2, name=heading).first.is_visible()
    screenshot(f"mon-espace-{persona}")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(lambda url: urlparse(url).path == "/")  # back on the public home
    assert page.get_by_role("link", name="Se connecter").first.is_visible()
    assert page.errors == []


def test_a_prefecture_invites_a_mayor_who_activates_the_account(
    page, prefecture_58, mailoutbox, screenshot
):
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill("pref58@nievre.gouv.fr")
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Invitations").click()
    page.get_by_role("link", name="Inviter un utilisateur").click()
    page.get_by_role("link", name="Commune", exact=True).click()
    page.get_by_label("Adresse électronique").fill("secretariat@armes.fr")
    page.get_by_label("Prénom").fill("Louise")
    page.locator("#id_last_name").fill("Martin")
    page.get_by_label("Commune").select_option(label="Armes (58)")
    screenshot("invitation-formulaire")
    page.get_by_role("button", name="Envoyer l’invitation").click()

    assert page.get_by_text("Invitation envoyée à secretariat@armes.fr").is_visible()
    screenshot("invitation-liste")
    page.get_by_role("button", name="Se déconnecter").click()
    link = next(word for word in mailoutbox[0].body.split() if "/invitation/" in word)

    page.goto(urlparse(link).path)  # the e-mail names SITE_URL, not the test server
    page.locator("#id_new_password1").fill("Armes-en-Nivernais-2026")
    page.locator("#id_new_password2").fill("Armes-en-Nivernais-2026")
    screenshot("invitation-activation")
    page.get_by_role("button", name="Activer mon compte").click()

    page.wait_for_url("**/accueil/")
    assert page.get_by_role("heading", name="Mon dossier — Armes").is_visible()
    assert page.errors == []
