"""Browser tests: Playwright driving Debian's Chromium (`apt-get install chromium`).

Without Chromium they are skipped, unless PVD_BROWSER_TESTS=required (CI sets it): then they
fail. Screenshots go to the folder named by PVD_SCREENSHOTS, if set.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from tests.factories import MOT_DE_PASSE

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("PVD_BROWSER_TESTS") == "required":
            pytest.fail(f"Chromium est introuvable ({CHROMIUM}) : apt-get install chromium")
        pytest.skip("Chromium n’est pas installé (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, in a greenlet whose context is
    # not the one Django's connections were opened in: close them now (PostgreSQL could not
    # drop the test database with one left open), and the ones opened meanwhile at the end.
    # The ORM calls of the fixtures are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    connections.close_all()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        connections.close_all()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="fr-FR"
    )
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    folder = os.environ.get("PVD_SCREENSHOTS")

    def take(name: str):
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return take


def login(page, email: str, password: str = MOT_DE_PASSE):
    """Log in through the login page, as a person would; lands on *Mon espace*."""
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/accueil/")


# axe-core (npm, `make install`): every rule of WCAG 2.0 and 2.1, levels A and AA.
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def axe(page):
    """A function auditing the page open in `page` with axe-core: its violations, one line
    each (rule, impact, the first elements concerned), empty when the page passes.

    The script is handed to the browser by Playwright's `evaluate` (the DevTools protocol),
    which the page's Content-Security-Policy does not govern: the audited page is the page
    served, policy included, and no inline `<script>` is added to it."""
    if not AXE.exists():
        pytest.fail(f"axe-core est introuvable ({AXE}) : npm ci")
    source = AXE.read_text()

    def audit() -> list[str]:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
        )
        return [
            f"{v['id']} ({v['impact']}) : {v['help']} — "
            + " ; ".join(", ".join(node["target"]) for node in v["nodes"][:3])
            + (f" (+{len(v['nodes']) - 3})" if len(v["nodes"]) > 3 else "")
            for v in result["violations"]
        ]

    return audit


# The objects of the other apps' tests, for the pages that show them.
from tests.club.conftest import demain_14h, thematiques, webinaire  # noqa: E402, F401
from tests.financements.conftest import pilier2  # noqa: E402, F401
from tests.ingenierie.conftest import poste  # noqa: E402, F401
