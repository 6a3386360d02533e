"""ProConnect end to end, against a real OpenID provider started by the test
(oidc-provider-mock): the portal redirects to it, the provider asks who logs in (the test
answers its form), sends back a code, the portal exchanges it for signed tokens, checks the
signature with the provider's keys, reads the user's claims and opens the session — or says
why not."""

import warnings
from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse

from communes.enums import Role
from communes.models import Invitation, User
from tests.factories import HabilitationFactory, UserFactory

with warnings.catch_warnings():
    # authlib, under the mock provider, warns of its own future at import.
    warnings.simplefilter("ignore", DeprecationWarning)
    from oidc_provider_mock import run_server_in_thread

# The provider (its thread shares the process's warning filters) calls authlib APIs that
# authlib has deprecated: not the portal's concern.
pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated:DeprecationWarning")


@pytest.fixture(scope="module")
def provider():
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def proconnect(settings, provider):
    settings.OIDC_RP_CLIENT_ID = "pvd"
    settings.OIDC_RP_CLIENT_SECRET = "secret-du-portail"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/oauth2/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/oauth2/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/jwks"
    # The mock signs with its one key and names no `kid` (ProConnect does: kept on there).
    settings.OIDC_VERIFY_KID = False

    def login(client, sub: str, **claims):
        """The whole round trip; returns the portal's last answer."""
        requests.put(f"{provider}/users/{sub}", json=claims, timeout=5).raise_for_status()
        start = client.get(reverse("communes:proconnect"))
        assert start.status_code == 302
        assert start["Location"].startswith(settings.OIDC_OP_AUTHORIZATION_ENDPOINT)
        # The person answers the provider's form; it sends them back with a code.
        answer = requests.post(
            start["Location"], data={"sub": sub}, allow_redirects=False, timeout=5
        )
        assert answer.status_code == 302, answer.text
        back = urlsplit(answer.headers["Location"])
        assert back.path == reverse("communes:proconnect_retour")
        return client.get(f"{back.path}?{back.query}", follow=True)

    return login


def logged_in(client) -> User | None:
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


def test_an_invited_agent_logs_in_and_is_bound_to_its_sub(client, proconnect, monde):
    agent = HabilitationFactory(
        user=UserFactory(email="agent@nievre.gouv.fr", last_name=""),
        role=Role.PREFECTURE,
        departement=monde.nievre,
    ).user

    page = proconnect(client, "sub-123", email="Agent@Nievre.gouv.fr", usual_name="Durand")

    assert page.redirect_chain[-1][0] == reverse("accueil")
    assert logged_in(client) == agent
    agent.refresh_from_db()
    assert agent.proconnect_sub == "sub-123"
    assert agent.last_name == "Durand"  # taken from ProConnect: the account had none


def test_later_logins_match_the_sub_whatever_the_address(client, proconnect, monde):
    agent = HabilitationFactory(
        user=UserFactory(email="agent@nievre.gouv.fr", proconnect_sub="sub-123"),
        role=Role.PREFECTURE,
        departement=monde.nievre,
    ).user

    proconnect(client, "sub-123", email="nouvelle.adresse@interieur.gouv.fr")

    assert logged_in(client) == agent


def test_an_address_already_bound_to_another_sub_is_not_taken(client, proconnect, monde):
    HabilitationFactory(
        user=UserFactory(email="agent@nievre.gouv.fr", proconnect_sub="sub-123"),
        role=Role.PREFECTURE,
        departement=monde.nievre,
    )

    page = proconnect(client, "sub-autre", email="agent@nievre.gouv.fr")

    assert logged_in(client) is None
    assert "aucun compte du portail ne correspond" in page.text


def test_an_invitation_not_yet_accepted_is_accepted_by_proconnect(client, proconnect, monde, anct):
    from communes import services

    invitation = services.invite_user(
        by=anct, email="sgar@bfc.gouv.fr", role=Role.REGION, region=monde.bfc
    )
    assert not invitation.habilitation.user.is_active

    proconnect(client, "sub-sgar", email="sgar@bfc.gouv.fr")

    user = logged_in(client)
    assert user is not None
    assert user.is_active
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is not None


def test_someone_without_an_account_gets_a_clear_page(client, proconnect, db):
    page = proconnect(client, "sub-x", email="inconnu@culture.gouv.fr")

    assert page.status_code == 200
    assert logged_in(client) is None
    assert "Vous n’avez pas encore accès au portail" in page.text
    assert "inconnu@culture.gouv.fr" in page.text
    assert not User.objects.filter(email="inconnu@culture.gouv.fr").exists()


def test_an_account_without_habilitation_gets_a_clear_page(client, proconnect, db):
    UserFactory(email="ancien@anct.gouv.fr")

    page = proconnect(client, "sub-y", email="ancien@anct.gouv.fr")

    assert logged_in(client) is None
    assert "aucune habilitation ne vous y est donnée" in page.text


def test_without_configuration_proconnect_is_absent(client, settings, db):
    settings.OIDC_RP_CLIENT_ID = ""

    assert client.get(reverse("communes:proconnect")).status_code == 404
    assert "ProConnect" not in client.get(reverse("connexion")).text


def test_the_login_page_offers_proconnect_when_configured(client, proconnect, db):
    assert "S’identifier avec ProConnect" in client.get(reverse("connexion")).text
