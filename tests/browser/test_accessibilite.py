"""The accessibility audit: axe-core, every rule of WCAG 2.0 and 2.1 at levels A and AA, on
the main pages of each kind of visitor. A page passes with 0 violations."""

import pytest
from django.urls import reverse

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def audit_pages(page, axe, screenshot, pages: dict[str, str]) -> dict[str, list[str]]:
    violations = {}
    for name, url in pages.items():
        response = page.goto(url)
        assert response.ok, f"{name} : {url} répond {response.status}"
        page.wait_for_load_state("networkidle")
        screenshot(f"a11y-{name}")
        if found := axe():
            violations[f"{name} ({url})"] = found
    print(f"\naxe-core : {len(pages)} pages auditées")
    return violations


def report(violations: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}\n  " + "\n  ".join(lines) for page, lines in violations.items())


def test_public_pages(page, axe, screenshot, adhesion_signee, webinaire, monde):
    pages = {
        "accueil": "/",
        "connexion": "/connexion/",
        "communes-pvd": "/communes-pvd/",
        "commune-pvd": reverse("conventions:public_detail", args=[monde.clamecy.code]),
        "territoires": "/territoires/",
        "club-agenda": "/club/",
        "club-evenement": reverse("club:evenement_detail", args=[webinaire.pk]),
        "opendata": "/opendata/",
        "carte-communes-pvd": "/communes-pvd/carte/",
    }
    violations = audit_pages(page, axe, screenshot, pages)
    assert not violations, report(violations)


def test_pages_of_a_prefecture(page, axe, screenshot, prefecture_58, pilier2, poste, monde):
    login(page, prefecture_58.email)
    pages = {
        "mon-espace-prefecture": "/accueil/",
        "dossiers": "/dossiers/",
        "dossier": reverse("conventions:dossier_detail", args=[monde.clamecy.code]),
        "financements": "/financements/",
        "postes": "/ingenierie/postes/",
        "jetons": "/compte/jetons/",
        "exports": "/exports/",
        "imports": "/imports/",
        "export-dossiers": "/exports/dossiers/",
        "import-financements": "/imports/financements/",
    }
    violations = audit_pages(page, axe, screenshot, pages)
    assert not violations, report(violations)


def test_pages_of_the_anct(page, axe, screenshot, anct, adhesion_signee):
    login(page, anct.email)
    pages = {
        "mon-espace-anct": "/accueil/",
        "tableau-de-bord": "/tableau-de-bord/",
        "notes": "/notes/",
        "club-audience": "/club/audience/",
    }
    violations = audit_pages(page, axe, screenshot, pages)
    assert not violations, report(violations)


# Swagger UI draws the API documentation (drf-spectacular's page): its markup and colours are
# the third party's. axe-core finds two rules broken there (contrast of its method badges and
# links; buttons nesting the « copy » and « lock » buttons of each operation), which no template
# of the portal can fix: the page is audited so that nothing else is added, and these are known.
SWAGGER_UI = {"color-contrast", "nested-interactive"}


def test_the_api_documentation_only_has_swagger_ui_s_own_violations(page, axe, db):
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock")

    rules = {line.split(" ", 1)[0] for line in axe()}

    assert rules <= SWAGGER_UI, rules - SWAGGER_UI
