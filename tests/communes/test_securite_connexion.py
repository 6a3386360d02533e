"""Hardening of the login (issue 8): throttling by django-axes, the password policy, and the
idle and absolute limits of a session."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from communes.middleware import ACTIVITE, DEBUT
from tests.factories import MOT_DE_PASSE

CONNEXION = reverse("connexion")


def connect(client, email, password, ip="203.0.113.7"):
    return client.post(CONNEXION, {"username": email, "password": password}, REMOTE_ADDR=ip)


# Throttling ------------------------------------------------------------------------------------


def test_five_failures_lock_the_username_from_that_address_for_15_minutes(client, prefecture_58):
    for _ in range(4):
        assert connect(client, prefecture_58.email, "mauvais").status_code == 200

    locked = connect(client, prefecture_58.email, "mauvais")
    # Even the right password is refused while locked.
    still = connect(client, prefecture_58.email, MOT_DE_PASSE)

    assert locked.status_code == still.status_code == 429
    assert "Connexion suspendue pendant 15 minutes" in still.text
    assert "_auth_user_id" not in client.session


def test_the_lock_is_on_the_pair_username_and_address(client, prefecture_58, prefecture_07):
    for _ in range(5):
        connect(client, prefecture_58.email, "mauvais")

    # The same person from another address, another person from the same address: let in.
    assert connect(client, prefecture_58.email, MOT_DE_PASSE, ip="198.51.100.1").status_code == 302
    client.logout()
    assert connect(client, prefecture_07.email, MOT_DE_PASSE).status_code == 302


def test_a_success_resets_the_count(client, prefecture_58):
    for _ in range(4):
        connect(client, prefecture_58.email, "mauvais")
    assert connect(client, prefecture_58.email, MOT_DE_PASSE).status_code == 302
    client.logout()
    for _ in range(4):
        connect(client, prefecture_58.email, "mauvais")

    assert connect(client, prefecture_58.email, MOT_DE_PASSE).status_code == 302


def test_the_lock_ends_after_15_minutes(client, prefecture_58):
    for _ in range(5):
        connect(client, prefecture_58.email, "mauvais")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert connect(client, prefecture_58.email, MOT_DE_PASSE).status_code == 302


def test_every_attempt_is_recorded(client, prefecture_58):
    connect(client, prefecture_58.email, "mauvais")
    connect(client, "inconnu@example.fr", "mauvais")
    connect(client, prefecture_58.email, MOT_DE_PASSE)

    assert set(AccessFailureLog.objects.values_list("username", flat=True)) == {
        prefecture_58.email,
        "inconnu@example.fr",
    }
    assert AccessLog.objects.get().username == prefecture_58.email


def test_a_forged_forwarded_address_does_not_escape_the_lock(client, prefecture_58):
    """Without a proxy in front (AXES_PROXY_COUNT=0), X-Forwarded-For is not read."""
    for i in range(5):
        client.post(
            CONNEXION,
            {"username": prefecture_58.email, "password": "mauvais"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
        )

    assert connect(client, prefecture_58.email, MOT_DE_PASSE).status_code == 429


# Password policy -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("staff", "password", "ok"),
    [
        (False, "Vx7-kq2-Lm9", False),  # 11 characters
        (False, "Vx7-kq2-Lm9p", True),  # 12
        (True, "Vx7-kq2-Lm9p-zR", False),  # 15 characters for an admin account
        (True, "Vx7-kq2-Lm9p-zR4", True),  # 16
    ],
)
def test_passwords_have_12_characters_16_for_staff(db, staff, password, ok):
    from communes.models import User

    user = User(email="x@example.fr", is_staff=staff)
    if ok:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError, match="trop court"):
            validate_password(password, user)


def test_common_passwords_are_refused(db):
    with pytest.raises(ValidationError):
        validate_password("password1234")


# Session limits --------------------------------------------------------------------------------


def _age_session(client, **ago):
    session = client.session
    now = time.time()
    for key, seconds in ago.items():
        session[key] = now - seconds
    session.save()


def test_an_idle_session_ends(client, prefecture_58, settings):
    client.force_login(prefecture_58)
    assert client.get(reverse("accueil")).status_code == 200
    _age_session(client, **{ACTIVITE: settings.SESSION_IDLE_MINUTES * 60 + 5})

    response = client.get(reverse("accueil"), follow=True)

    assert response.redirect_chain[0][0].startswith(f"{CONNEXION}?next=")
    assert "minutes d’inactivité" in response.text
    assert "_auth_user_id" not in client.session


def test_a_session_ends_after_its_absolute_limit_even_when_active(client, prefecture_58, settings):
    client.force_login(prefecture_58)
    client.get(reverse("accueil"))
    _age_session(client, **{DEBUT: settings.SESSION_MAX_HOURS * 3600 + 5, ACTIVITE: 10})

    response = client.get(reverse("accueil"), follow=True)

    assert "heures après votre connexion" in response.text
    assert "_auth_user_id" not in client.session


def test_an_active_session_goes_on(client, prefecture_58, settings):
    client.force_login(prefecture_58)
    client.get(reverse("accueil"))
    _age_session(client, **{ACTIVITE: settings.SESSION_IDLE_MINUTES * 60 - 60})

    assert client.get(reverse("accueil")).status_code == 200
    assert time.time() - client.session[ACTIVITE] < 5  # the activity was recorded
