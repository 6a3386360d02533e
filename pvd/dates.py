"""Date helpers (no app imports here)."""

import calendar
from datetime import date

from django.utils import timezone

from pvd.exceptions import DomainError


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` months, clamped to the end of the month (31/08 + 6 → 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_not_future(day: date | None, what: str) -> None:
    """Refuse a date after today (`what` completes « La date … »: "de signature")."""
    if day is not None and day > timezone.localdate():
        raise DomainError(f"La date {what} ne peut pas être dans le futur.")
