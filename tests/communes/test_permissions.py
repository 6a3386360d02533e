"""Permission matrix of the `communes` app: every route, every persona, the expected status.

Objects belong to the Nièvre (préfecture 58): other départements' agents get 404, roles that
see the object but may not act get 403, anonymous visitors are sent to the login page (302).
"""

import pytest
from django.urls import reverse

from communes import urls as communes_urls
from communes.enums import Role
from communes.models import DureeJeton
from communes.services import create_token, invite_user, make_invitation_token
from tests.conftest import PERSONAS

PUBLIC = dict.fromkeys(PERSONAS, 200)


def private(**overrides) -> dict:
    return {"anonyme": 302, **dict.fromkeys(PERSONAS[1:], 200), **overrides}


DENIED = {"region_27": 403, "commune_clamecy": 403, "epci_haut_nivernais": 403, "partenaire": 403}
EVERYONE_ELSE = dict.fromkeys(PERSONAS[1:], 404)
OUTSIDE = {
    "prefecture_07": 404,
    "region_27": 404,
    "commune_clamecy": 404,
    "epci_haut_nivernais": 404,
    "partenaire": 404,
}

# route name → (method, URL arguments, expected status by persona)
MATRIX = {
    "territoires": ("get", lambda o: [], PUBLIC),
    "region_detail": ("get", lambda o: ["27"], PUBLIC),
    "departement_detail": ("get", lambda o: ["58"], PUBLIC),
    "epci_detail": ("get", lambda o: ["200067429"], PUBLIC),
    "commune_detail": ("get", lambda o: ["58079"], PUBLIC),
    "invitation_accept": ("get", lambda o: [make_invitation_token(o)], PUBLIC),
    "invitation_list": ("get", lambda o: [], private()),
    "invitation_detail": ("get", lambda o: [o.pk], private(**OUTSIDE)),
    "invitation_resend": (
        "post",
        lambda o: [o.pk],
        # ANCT sees every invitation but does not give commune roles.
        private(anct=403, prefecture_58=302, **OUTSIDE),
    ),
    "invitation_roles": ("get", lambda o: [], private(**DENIED)),
    "invitation_create": (
        "get",
        lambda o: [Role.COMMUNE.value],
        private(anct=403, **DENIED),
    ),
    # ProConnect is not configured in tests (tests/communes/test_proconnect.py configures it).
    "proconnect": ("get", lambda o: [], dict.fromkeys(PERSONAS, 404)),
    "proconnect_retour": ("get", lambda o: [], dict.fromkeys(PERSONAS, 404)),
    "proconnect_refus": ("get", lambda o: [], PUBLIC),
    "jeton_list": ("get", lambda o: [], private()),
    # An empty form: the page again, with its errors.
    "jeton_create": ("post", lambda o: [], private()),
    # A token is its owner's alone (here the inviter's): anyone else gets 404, the ANCT too.
    "jeton_revoke": ("post", lambda o: [_jeton_of(o.invited_by)], private(**EVERYONE_ELSE)),
}


def _jeton_of(user) -> int:
    return create_token(by=user, libelle="SI", duree=DureeJeton.UN_AN)[0].pk


@pytest.fixture
def invitation_nievre(monde, django_user_model):
    inviter = django_user_model.objects.create_user("inviteur@nievre.gouv.fr", "x" * 16)
    inviter.habilitations.create(role=Role.PREFECTURE, departement=monde.nievre)
    inviter = django_user_model.objects.get(pk=inviter.pk)
    return invite_user(
        by=inviter, email="secretaire@armes.fr", role=Role.COMMUNE, commune=monde.armes
    )


def test_every_route_of_the_app_is_in_the_matrix():
    assert {pattern.name for pattern in communes_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_permission_matrix(as_persona, invitation_nievre, route, persona):
    method, args, expected = MATRIX[route]
    client = as_persona(persona)

    response = getattr(client, method)(reverse(f"communes:{route}", args=args(invitation_nievre)))

    assert response.status_code == expected[persona]
    if response.status_code == 302 and persona == "anonyme":
        assert response["Location"].startswith(reverse("connexion"))
