"""Permission matrix of the national layer's routes (pvd/urls.py, outside the apps)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, reverse

from pvd import urls as pvd_urls
from pvd.models import EtatNote, NoteSuivi
from tests.conftest import PERSONAS, fermer

PUBLIC = dict.fromkeys(PERSONAS, 200)
LOGGED_IN = {"anonyme": 302, **dict.fromkeys(PERSONAS[1:], 200)}

MATRIX = {
    "index": ("get", PUBLIC),
    "accueil": ("get", LOGGED_IN),
    # A logged-in visitor is sent on to its home.
    "connexion": ("get", {"anonyme": 200, **dict.fromkeys(PERSONAS[1:], 302)}),
    "deconnexion": ("post", dict.fromkeys(PERSONAS, 302)),
    "password_reset": ("get", PUBLIC),
    "password_reset_done": ("get", PUBLIC),
    "password_reset_complete": ("get", PUBLIC),
    "mentions_legales": ("get", PUBLIC),
    "accessibilite": ("get", PUBLIC),
    "donnees_personnelles": ("get", PUBLIC),
    # Open data: the page and the dashboard's public figures, for everyone.
    "opendata": ("get", PUBLIC),
    "opendata_tableau_de_bord_csv": ("get", PUBLIC),
    "opendata_tableau_de_bord_json": ("get", PUBLIC),
    # The page needs an account (anonymous visitors read France's public figures in JSON).
    "tableau_de_bord": ("get", LOGGED_IN),
    "note_list": ("get", LOGGED_IN),
    # The journal of every change: the ANCT's (the page is no secret: 403 for the others).
    "audit": (
        "get",
        {"anonyme": 302, "anct": 200, **dict.fromkeys(PERSONAS[2:], 403)},
    ),
    # An empty request: refused (403) to whoever may not ask for notes, invalid (400) otherwise.
    "note_create": (
        "post",
        {
            "anonyme": 302,
            **dict.fromkeys(["anct", "prefecture_58", "prefecture_07", "region_27"], 400),
            **dict.fromkeys(["commune_clamecy", "epci_haut_nivernais", "partenaire"], 403),
        },
    ),
}
# Routes with arguments: a note (below), and the link of a password reset e-mail (tested
# elsewhere).
WITH_ARGUMENTS = {"password_reset_confirm", "note_detail", "note_pdf"}

# A published note of France (read by everyone with a perimeter) and one of the Nièvre (read by
# whoever reads the Nièvre's dashboard: its préfecture, its région, the ANCT, a national
# partner; 404 for the others).
NOTE_MATRIX = {
    "FR": LOGGED_IN,
    "departement:58": {
        "anonyme": 302,
        **dict.fromkeys(["anct", "prefecture_58", "region_27", "partenaire"], 200),
        **dict.fromkeys(["prefecture_07", "commune_clamecy", "epci_haut_nivernais"], 404),
    },
}


def test_every_route_of_the_national_layer_is_in_the_matrix():
    names = {p.name for p in pvd_urls.urlpatterns if isinstance(p, URLPattern)}

    assert names == set(MATRIX) | WITH_ARGUMENTS


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_permission_matrix(as_persona, route, persona):
    method, expected = MATRIX[route]

    response = getattr(as_persona(persona), method)(reverse(route))

    assert response.status_code == expected[persona]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", ["note_detail", "note_pdf"])
@pytest.mark.parametrize("perimetre", sorted(NOTE_MATRIX))
def test_permission_matrix_of_a_note(as_persona, route, persona, perimetre):
    note = NoteSuivi(perimetre=perimetre, date="2021-10-15", etat=EtatNote.PRETE, valeurs={})
    note.fichier.save("note.pdf", ContentFile(b"%PDF-1.7 note"))

    response = as_persona(persona).get(reverse(route, args=[note.pk]))
    fermer(response)  # a download holds its file open until then

    assert response.status_code == NOTE_MATRIX[perimetre][persona]


@pytest.mark.parametrize("persona", ["anonyme", "prefecture_58", "commune_clamecy"])
def test_the_django_admin_is_for_staff_only(as_persona, persona):
    response = as_persona(persona).get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
