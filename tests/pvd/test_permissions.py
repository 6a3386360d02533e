"""Permission matrix of the national layer's routes (pvd/urls.py, outside the apps)."""

import pytest
from django.urls import URLPattern, reverse

from pvd import urls as pvd_urls
from tests.conftest import PERSONAS

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
}
# Routes with arguments, tested elsewhere: the link of a password reset e-mail.
WITH_ARGUMENTS = {"password_reset_confirm"}


def test_every_route_of_the_national_layer_is_in_the_matrix():
    names = {p.name for p in pvd_urls.urlpatterns if isinstance(p, URLPattern)}

    assert names == set(MATRIX) | WITH_ARGUMENTS


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_permission_matrix(as_persona, route, persona):
    method, expected = MATRIX[route]

    response = getattr(as_persona(persona), method)(reverse(route))

    assert response.status_code == expected[persona]


@pytest.mark.parametrize("persona", ["anonyme", "prefecture_58", "commune_clamecy"])
def test_the_django_admin_is_for_staff_only(as_persona, persona):
    response = as_persona(persona).get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
