"""Personal API tokens (« Mes jetons d'API »): a user's tokens for partners' information systems.

The token itself is django-rest-knox's `AuthToken` (its SHA-512 digest, the first characters of
the key, the user, the expiry): knox authenticates the API requests with it, as the user, so a
token has exactly its user's rights. `JetonAPI` adds what knox does not keep, the label its
owner gave it, in a row of its own linked one-to-one to the token: knox's model and migrations
stay as they are, and deleting the token (revocation, or knox's cleanup of expired tokens)
deletes the label with it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from knox.models import AuthToken


class DureeJeton(models.IntegerChoices):
    """How long a new token stays valid, in days."""

    TRENTE_JOURS = 30, "30 jours"
    QUATRE_VINGT_DIX_JOURS = 90, "90 jours"
    UN_AN = 365, "1 an"


class JetonAPIQuerySet(models.QuerySet):
    def for_user(self, user):
        """A user's own tokens: no one else, administrators included, sees or revokes them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(token__user=user)

    def valides(self, now=None):
        """The tokens that still authenticate (knox: no expiry, or an expiry in the future)."""
        now = now or timezone.now()
        return self.filter(Q(token__expiry__isnull=True) | Q(token__expiry__gt=now))


class JetonAPI(models.Model):
    token = models.OneToOneField(AuthToken, on_delete=models.CASCADE, related_name="jeton")
    libelle = models.CharField("libellé", max_length=100)

    objects = JetonAPIQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d’API"
        verbose_name_plural = "jetons d’API"
        ordering = ["-token__created"]

    def __str__(self) -> str:
        return f"{self.libelle} (…{self.fin_de_cle})"

    @property
    def fin_de_cle(self) -> str:
        """The last 8 characters of the key's stored beginning (knox's `token_key`): enough for
        its owner to tell which token a system uses, useless to anyone else."""
        return self.token.token_key[-8:]

    @property
    def expire(self) -> bool:
        return self.token.expiry is not None and self.token.expiry <= timezone.now()
