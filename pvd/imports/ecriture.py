"""Writing checked rows in bulk with their history (imports no app): the apps' bulk services
call `save_in_bulk`, so that an imported object has the same history as one saved by a form
(one row per object, with its author, its reason and its many-to-many links), in a few
queries per thousand objects."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models
from django.utils import timezone

from pvd.audit import Channel, channel
from pvd.models import TransitionLog
from pvd.workflows import Transition, Workflow

BATCH_SIZE = 1000


def _chunks(values: list, size: int = BATCH_SIZE):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _update(model: type[models.Model], objects: list[models.Model], fields: Sequence[str]):
    """`bulk_update`, in one `UPDATE … FROM (VALUES …)` per thousand rows: Django's own builds
    a CASE per field and row, whose compilation takes minutes for 10,000 rows. Every value goes
    through its field's `get_db_prep_save`, as in `save()`; on PostgreSQL a cast gives the
    VALUES their column types (SQLite needs none, and would mangle dates)."""
    columns = [model._meta.get_field(name) for name in fields]
    pk = model._meta.pk
    quote = connection.ops.quote_name
    cast = connection.vendor == "postgresql"

    def placeholder(field) -> str:
        return f"CAST(%s AS {field.cast_db_type(connection)})" if cast else "%s"

    row = "(" + ", ".join(placeholder(field) for field in [pk, *columns]) + ")"
    names = ", ".join(quote(name) for name in ["pk", *(f"v_{f.column}" for f in columns)])
    table = quote(model._meta.db_table)
    assignments = ", ".join(f"{quote(f.column)} = v.{quote('v_' + f.column)}" for f in columns)
    with connection.cursor() as cursor:
        for chunk in _chunks(objects):
            params = []
            for obj in chunk:
                params.append(pk.get_db_prep_save(obj.pk, connection))
                params += [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns]
            cursor.execute(
                f"WITH v({names}) AS (VALUES {', '.join([row] * len(chunk))}) "
                f"UPDATE {table} SET {assignments} FROM v "
                f"WHERE {table}.{quote(pk.column)} = v.{quote('pk')}",
                params,
            )


@channel(Channel.IMPORT)
def save_in_bulk(
    model: type[models.Model],
    *,
    created: list[models.Model],
    updated: list[models.Model],
    fields: Sequence[str],
    links: dict[str, list[tuple[models.Model, list]]],
    by,
    reason: str,
) -> None:
    """Create `created`, update `fields` of `updated` (their version goes up), and set the
    many-to-many `links` (field name → (object, related keys) pairs; an updated object absent
    from them keeps its links), then write one history row per object, by `by` with `reason`, with
    the history of its links. The history rows say they came through an import, whoever
    called (a page, the API, a command).

    The history goes through simple-history's `bulk_history_create`, as its
    `bulk_create_with_history` and `bulk_update_with_history` do, because the history rows it
    returns are needed to attach the history of the links."""
    now = timezone.now()
    for obj in updated:
        obj.version += 1
    model.objects.bulk_create(created, batch_size=BATCH_SIZE)
    if updated:
        _update(model, updated, [*fields, "version"])
    owner = model._meta.model_name
    updated_ids = {id(obj) for obj in updated}
    for name, pairs in links.items():
        relation = model._meta.get_field(name)
        through, target = relation.remote_field.through, relation.related_model._meta.model_name
        changed = [obj.pk for obj, _ in pairs if id(obj) in updated_ids]
        for chunk in _chunks(changed):
            through.objects.filter(**{f"{owner}_id__in": chunk}).delete()
        through.objects.bulk_create(
            [
                through(**{f"{owner}_id": obj.pk, f"{target}_id": key})
                for obj, keys in pairs
                for key in keys
            ],
            batch_size=BATCH_SIZE,
        )
    historiques = []
    for objects, update in ((created, False), (updated, True)):
        if objects:
            historiques += model.history.bulk_history_create(
                objects,
                batch_size=BATCH_SIZE,
                update=update,
                default_user=by,
                default_change_reason=reason,
                default_date=now,
            )
    # Each history row lists the object's links as they stand (simple-history's own rule).
    history_of = {h.id: h for h in historiques}
    for relation in model._meta.many_to_many:
        m2m_history_field = getattr(model.history.model, relation.name, None)
        if m2m_history_field is None:
            continue
        m2m_history = m2m_history_field.model
        through = relation.remote_field.through
        target = relation.related_model._meta.model_name
        rows = []
        for chunk in _chunks(list(history_of)):
            rows += through.objects.filter(**{f"{owner}_id__in": chunk}).values_list(
                "pk", f"{owner}_id", f"{target}_id"
            )
        m2m_history.objects.bulk_create(
            [
                m2m_history(
                    history=history_of[owner_id],
                    id=pk,
                    **{f"{owner}_id": owner_id, f"{target}_id": target_id},
                )
                for pk, owner_id, target_id in rows
            ],
            batch_size=BATCH_SIZE,
        )


def log_steps(steps: list[tuple[models.Model, str, str, str, str]], *, by, commentaire: str):
    """Write the workflow log of imported objects in bulk: (object, transition, label, source
    state, target state) — as `pvd.workflows.apply_transition` and `log_creation` do one by
    one."""
    from django.contrib.contenttypes.models import ContentType

    now = timezone.now()
    TransitionLog.objects.bulk_create(
        [
            TransitionLog(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
                transition=name,
                libelle=label,
                source=source,
                cible=cible,
                user=by,
                at=now,
                commentaire=commentaire,
            )
            for obj, name, label, source, cible in steps
        ],
        batch_size=BATCH_SIZE,
    )


def chemin(workflow: Workflow, source: str, cible: str) -> list[Transition] | None:
    """The shortest sequence of transitions from `source` to `cible` (None: unreachable), so
    that an imported state is logged as the steps the forms would have taken."""
    parcours: dict[str, list[Transition]] = {source: []}
    file = [source]
    while file:
        etat = file.pop(0)
        if etat == cible:
            return parcours[etat]
        for transition in workflow.available_from(etat):
            if transition.target not in parcours:
                parcours[transition.target] = [*parcours[etat], transition]
                file.append(transition.target)
    return None
