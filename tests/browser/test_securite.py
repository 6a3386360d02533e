"""The Content-Security-Policy in a real browser: the pages that run the most scripts and
styles (the dashboard's dsfr-chart components, the API documentation's Swagger UI) draw
without a single violation, which Chromium reports as a console error (`page.errors`)."""

from tests.factories import MOT_DE_PASSE


def login(page, email):
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/accueil/")


def test_the_dashboard_draws_its_charts_under_the_policy(page, anct, adhesion_signee, screenshot):
    login(page, anct.email)

    response = page.goto("/tableau-de-bord/?perimetre=departement:58")
    page.locator("line-chart").first.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)  # the components draw after loading

    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert page.locator("line-chart canvas").count() >= 1
    screenshot("tableau-de-bord-csp")
    assert page.errors == []


def test_the_api_documentation_runs_under_the_policy(page, db):
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .information-container")

    assert page.errors == []
