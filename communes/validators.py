"""The password policy (settings.AUTH_PASSWORD_VALIDATORS)."""

from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError


class LongueurMinimale(MinimumLengthValidator):
    """At least `min_length` characters, `min_length_staff` for staff accounts (the admin
    site): their password opens every territory."""

    def __init__(self, min_length: int = 12, min_length_staff: int = 16):
        super().__init__(min_length)
        self.min_length_staff = min_length_staff

    def _minimum(self, user) -> int:
        staff = user is not None and (
            getattr(user, "is_staff", False) or getattr(user, "is_superuser", False)
        )
        return self.min_length_staff if staff else self.min_length

    def validate(self, password, user=None):
        minimum = self._minimum(user)
        if len(password) < minimum:
            raise ValidationError(
                "Ce mot de passe est trop court. Il doit contenir au minimum "
                f"{minimum} caractères.",
                code="password_too_short",
                params={"min_length": minimum},
            )

    def get_help_text(self):
        return (
            f"Votre mot de passe doit contenir au moins {self.min_length} caractères "
            f"({self.min_length_staff} pour un compte d’administration)."
        )
