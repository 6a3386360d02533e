"""Reading a write's body in the API (no app imported here): the serializer's validated data,
or one 400 `{"detail": "…"}` naming each bad field in French — the API's one error shape
(`pvd.api.serializers.ErreurSerializer`) — and nothing written."""

from __future__ import annotations

from rest_framework import status
from rest_framework.exceptions import APIException


class DonneesRefusees(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Données illisibles."
    default_code = "invalid"


def _messages(errors, prefix: str = "") -> list[str]:
    if isinstance(errors, dict):
        return [
            message
            for name, value in errors.items()
            for message in _messages(value, f"{prefix}.{name}" if prefix else str(name))
        ]
    if isinstance(errors, list):
        if all(isinstance(value, str) for value in errors):
            texte = " ".join(str(value) for value in errors)
            if prefix in ("", "non_field_errors"):
                return [texte]
            return [f"champ « {prefix} » : {texte}"]
        return [m for i, value in enumerate(errors) for m in _messages(value, f"{prefix}[{i}]")]
    return _messages([str(errors)], prefix)


def lire(serializer) -> dict:
    """The serializer's validated data, or a 400 `{"detail": "…"}` naming each field."""
    if not serializer.is_valid():
        messages = [message.rstrip(" .") for message in _messages(serializer.errors)]
        raise DonneesRefusees(" ; ".join(messages) + ". Rien n’a été enregistré.")
    return dict(serializer.validated_data)
