from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from communes.enums import Role
from communes.models import Habilitation, User
from pvd.management.commands.load_demo import MOT_DE_PASSE_DEMO


@pytest.fixture
def territoires_demo(monde):
    """The demo names real territories: Nièvre, Bourgogne-Franche-Comté, Clamecy and its EPCI."""
    return monde


def test_one_account_per_role_whose_login_lands_on_its_home(client, territoires_demo, settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert set(Habilitation.objects.values_list("role", flat=True)) == set(Role.values)
    for user in User.objects.all():
        assert user.email in out.getvalue()
        # Through the login page: django-axes wants the request of every authentication.
        connexion = {"username": user.email, "password": MOT_DE_PASSE_DEMO}
        assert client.post(reverse("connexion"), connexion).status_code == 302
        assert client.get(reverse("accueil")).status_code == 200
        client.logout()


def test_loading_the_demo_twice_changes_nothing(territoires_demo, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    before = list(Habilitation.objects.values_list("user__email", "role").order_by("pk"))

    call_command("load_demo", stdout=StringIO())

    assert list(Habilitation.objects.values_list("user__email", "role").order_by("pk")) == before


def test_the_demo_is_refused_without_debug(territoires_demo, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG est désactivé"):
        call_command("load_demo")
    assert not User.objects.exists()
