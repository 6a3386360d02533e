"""The *Historique* of an object: its workflow steps (`TransitionLog`) and every change of its
fields, before and after, with who, when and through which channel (django-simple-history and
`pvd.audit`). No app imports here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from pvd.models import TransitionLog
from pvd.text import euros, nombre

ACTIONS = {"+": "Création", "~": "Modification", "-": "Suppression"}


@dataclass
class Modification:
    date: datetime
    user: object
    action: str
    changes: list[tuple[str, str, str]]  # (field, before, after)
    channel: str  # « Interface web », « API »… (pvd.audit.Channel)


def display(field, value) -> str:
    """A field's value as a person reads it."""
    if field.many_to_many:
        target = field.related_model
        ids = [row[target._meta.model_name] for row in value or []]
        return ", ".join(str(o) for o in target.objects.filter(pk__in=ids)) or "—"
    if value in (None, ""):
        return "—"
    if isinstance(field, models.FileField):
        return "document joint"
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%d/%m/%Y à %H h %M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(field, models.DecimalField):
        # Amounts in euros say so in their label: « coût annuel du poste (€) ».
        return euros(value) if "€" in str(field.verbose_name) else nombre(Decimal(value))
    if field.is_relation:
        return str(field.related_model.objects.filter(pk=value).first() or value)
    return str(value)


def changes_between(new, old, model) -> list[tuple[str, str, str]]:
    """(field, before, after) for every field that differs between two history records."""
    delta = new.diff_against(old, excluded_fields=["version"])
    described = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        before, after = display(field, change.old), display(field, change.new)
        if before != after:
            described.append((str(field.verbose_name), before, after))
    return described


def modifications(obj) -> list[Modification]:
    """Every saved state of `obj` compared with the previous one, oldest first."""
    records = list(obj.history.select_related("history_user").order_by("history_date", "pk"))
    entries, previous = [], None
    for record in records:
        changes = [] if previous is None else changes_between(record, previous, type(obj))
        if previous is None or changes:
            action = record.history_change_reason or ACTIONS.get(record.history_type, "")
            entries.append(
                Modification(
                    record.history_date,
                    record.history_user,
                    action,
                    changes,
                    record.history_channel_label,
                )
            )
        previous = record
    return entries


def etapes(obj, state_field: str = "etat") -> list[TransitionLog]:
    """The workflow steps of `obj`, oldest first, with their states' labels."""
    labels = dict(obj._meta.get_field(state_field).choices or ())
    steps = list(
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).select_related("user")
    )
    for step in steps:
        step.source_libelle = labels.get(step.source, step.source)
        step.cible_libelle = labels.get(step.cible, step.cible)
    return steps
