"""Errors raised by services: their message is French and meant for the person who acted."""


class DomainError(Exception):
    """A business rule refused the action. `str(error)` is shown to the user as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotAllowed(DomainError):
    """The person may see the object but may not do this to it (HTTP 403)."""
