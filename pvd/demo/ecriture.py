"""Bulk writing of the demo rows with their history, and their removal.

The rows are written as the programme import writes its rows
(`conventions.services.programme._bulk_create`): `bulk_create` of the objects, of their
many-to-many links, then of their history rows (one "+" row per object, and the history of its
links). Every history row carries the change reason `MARQUE (…)`: it says where the row came
from in the *Historique* tab, and it is how a later run finds the generated rows again (the
models have no flag of their own, and none may be added).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

MARQUE = "Données de démonstration"
BATCH_SIZE = 2000


def raison(scale: int, seed: int) -> str:
    return f"{MARQUE} (échelle {scale}, graine {seed})"


class Ecrivain:
    """Writes objects of one run, all stamped with the same history date and reason."""

    def __init__(self, reason: str):
        self.reason = reason
        self.date = timezone.now()
        self.counts: dict[str, int] = {}

    def create(self, model, objects: list, relations: dict[str, list[list]] | None = None):
        """Create `objects`, their many-to-many `relations` (field name → the related keys of
        each object) and the history rows of both; returns the objects, with their keys."""
        relations = relations or {}
        self.counts[model._meta.verbose_name_plural] = self.counts.get(
            model._meta.verbose_name_plural, 0
        ) + len(objects)
        if not objects:
            return objects
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        if not hasattr(model, "history"):
            # A model without history (a participant, a module): `pvd.demo.club` finds its
            # rows again through the generated rows they belong to.
            if relations:
                raise ValueError(f"{model.__name__} : pas d’historique pour ses relations")
            return objects
        owner = model._meta.model_name
        links = {}
        for name, keys in relations.items():
            field = model._meta.get_field(name)
            through, target = field.remote_field.through, field.related_model._meta.model_name
            links[name] = through.objects.bulk_create(
                [
                    through(**{f"{owner}_id": obj.pk, f"{target}_id": key})
                    for obj, object_keys in zip(objects, keys, strict=True)
                    for key in object_keys
                ],
                batch_size=BATCH_SIZE,
            )
        historiques = model.history.bulk_history_create(
            objects,
            batch_size=BATCH_SIZE,
            default_change_reason=self.reason,
            default_date=self.date,
        )
        history_of = {h.id: h for h in historiques}
        for name, rows in links.items():
            m2m_history = getattr(model.history.model, name).model
            target = model._meta.get_field(name).related_model._meta.model_name
            m2m_history.objects.bulk_create(
                [
                    m2m_history(
                        history=history_of[getattr(row, f"{owner}_id")],
                        id=row.pk,
                        **{f"{owner}_id": getattr(row, f"{owner}_id")},
                        **{f"{target}_id": getattr(row, f"{target}_id")},
                    )
                    for row in rows
                ],
                batch_size=BATCH_SIZE,
            )
        return objects


def generated(model) -> models.QuerySet:
    """The keys of the rows of `model` that a demo run created."""
    return (
        model.history.filter(history_type="+", history_change_reason__startswith=MARQUE)
        .order_by()
        .values("id")
    )


def reasons(model) -> set[str]:
    return set(
        model.history.filter(history_type="+", history_change_reason__startswith=MARQUE)
        .order_by()
        .values_list("history_change_reason", flat=True)
        .distinct()
    )


def remove(model) -> int:
    """Delete the generated rows of `model`, their links and their whole history, with plain
    DELETE statements: the ORM's cascade would load every row and write one history row per
    deleted object (tens of thousands at scale 10). The caller deletes the dependent models
    first; a row that a person attached to a generated row makes the database refuse."""
    ids = list(generated(model).values_list("id", flat=True))
    if not ids:
        return 0
    owner = model._meta.model_name
    history = model.history.model
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            raw_delete(through.objects.filter(**{f"{owner}_id__in": chunk}))
            if hasattr(history, field.name):
                m2m_history = getattr(history, field.name).model
                raw_delete(m2m_history.objects.filter(**{f"{owner}_id__in": chunk}))
        raw_delete(history.objects.filter(id__in=chunk))
        raw_delete(model.objects.filter(pk__in=chunk))
    return len(ids)


def raw_delete(queryset: models.QuerySet) -> int:
    """One DELETE … WHERE, without the collector (no signals, no cascade); the rows deleted."""
    return queryset._raw_delete(queryset.db)
