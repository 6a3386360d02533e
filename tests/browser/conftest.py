"""Browser tests: Playwright driving Debian's Chromium (`apt-get install chromium`).

Without Chromium they are skipped, unless PVD_BROWSER_TESTS=required (CI sets it): then they
fail. Screenshots go to the folder named by PVD_SCREENSHOTS, if set.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

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
