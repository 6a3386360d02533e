"""ProConnect, the State's OpenID Connect for its agents (mozilla-django-oidc).

Agents of the ANCT, the préfectures and the régions log in with ProConnect; communes, EPCI and
partners keep their local accounts. Nobody gets an account by logging in: ProConnect only
proves who the person is, the portal's habilitations say what they may do. A ProConnect login
is matched to an invited user by the `sub` ProConnect gave at their first login, or, the first
time, by their e-mail address (then the `sub` is recorded). An invited user who had not
activated their account yet is activated: ProConnect vouched for the address the invitation
was sent to. Someone without an account or without any habilitation lands on a page that says
so and whom to ask (`refus`), never on an error.

Configured by environment variables (settings.PROCONNECT_*): without a client id, the routes
answer 404 and the login page shows no ProConnect button.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from communes.models import Invitation, User

logger = logging.getLogger(__name__)

# The session key where the backend leaves why a ProConnect login was refused, for `refus`.
REFUS = "proconnect_refus"


def active() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


class ProConnectBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        sub, email = claims.get("sub") or "", User.objects.normalize_email(claims.get("email"))
        if not sub:
            return User.objects.none()
        by_sub = User.objects.filter(proconnect_sub=sub)
        if by_sub.exists():
            return by_sub
        # First ProConnect login: the invited address, on an account not yet bound to a sub.
        return User.objects.filter(Q(email=email) & Q(proconnect_sub="")) if email else by_sub

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("sub"))

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            self._refuse("compte", payload.get("email") or "")
        elif not user.habilitations.exists():
            self._refuse("habilitation", user.email)
            return None
        return user

    def create_user(self, claims):
        return None  # nobody gets an account by logging in (OIDC_CREATE_USER is off too)

    def update_user(self, user, claims):
        """Bind the account to the `sub` (first login), take the names ProConnect gives when
        the account has none, and activate an invited account."""
        changed = []
        if not user.proconnect_sub:
            user.proconnect_sub = claims["sub"]
            changed.append("proconnect_sub")
        for field, claim in (("first_name", "given_name"), ("last_name", "usual_name")):
            if not getattr(user, field) and claims.get(claim):
                setattr(user, field, claims[claim][:150])
                changed.append(field)
        if not user.is_active:
            user.is_active = True
            changed.append("is_active")
            Invitation.objects.filter(habilitation__user=user, accepted_at__isnull=True).update(
                accepted_at=timezone.now()
            )
        if changed:
            user.save(update_fields=changed)
        logger.info("Connexion ProConnect de %s", user.email)
        return user

    def _refuse(self, motif: str, email: str) -> None:
        logger.warning("Connexion ProConnect refusée (%s) : %s", motif, email)
        self.request.session[REFUS] = {"motif": motif, "email": email}


def _require_active(view):
    def wrapped(request, *args, **kwargs):
        if not active():
            raise Http404("ProConnect n’est pas configuré sur ce portail.")
        return view(request, *args, **kwargs)

    return login_not_required(wrapped)


connexion = _require_active(OIDCAuthenticationRequestView.as_view())
retour = _require_active(OIDCAuthenticationCallbackView.as_view())


@login_not_required
@require_GET
def refus(request):
    """Where a refused ProConnect login lands (OIDC's LOGIN_REDIRECT_URL_FAILURE)."""
    return render(request, "registration/proconnect_refus.html", request.session.pop(REFUS, {}))
