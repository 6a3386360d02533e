"""The limits of a session: it ends after SESSION_IDLE_MINUTES without a request, and
SESSION_MAX_HOURS after the login whatever the activity (an agent's forgotten browser does not
stay signed in). The session's cookie lasts no longer than the absolute limit
(SESSION_COOKIE_AGE)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

DEBUT, ACTIVITE = "limites_debut", "limites_activite"
# The last activity is written at most once a minute: not a session write per request.
PRECISION = 60


def start_session_limits(sender, request, user, **kwargs):
    """At login (the `user_logged_in` signal): the session's start and first activity, saved
    with the login itself rather than by the next request."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[DEBUT] = request.session[ACTIVITE] = now


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        # API calls with a token carry no session; an anonymous session has nothing to end.
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            expiree = self._expiree(request.session, time.time())
            if expiree:
                logout(request)
                messages.info(request, expiree)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _expiree(session, now: float) -> str | None:
        """The reason the session is over, or None after recording the activity."""
        debut = session.setdefault(DEBUT, now)
        activite = session.get(ACTIVITE, debut)
        if now - activite > settings.SESSION_IDLE_MINUTES * 60:
            return (
                f"Votre session a pris fin après {settings.SESSION_IDLE_MINUTES} minutes "
                "d’inactivité : reconnectez-vous."
            )
        if now - debut > settings.SESSION_MAX_HOURS * 3600:
            return (
                f"Votre session a pris fin {settings.SESSION_MAX_HOURS} heures après votre "
                "connexion : reconnectez-vous."
            )
        if now - activite >= PRECISION or ACTIVITE not in session:
            session[ACTIVITE] = now
        return None
