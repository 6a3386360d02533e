"""Workflows as data: a table of transitions per model, one engine that applies them.

An app declares `Workflow("etat", [Transition(...), ...])` next to its states, and one service
per transition calls `apply_transition`, which locks the row, checks the state and the version,
saves the changed fields, and writes a `TransitionLog` row. Who may fire a transition on which
object is the app's business (its `permissions.py`): the engine only knows the roles of the
table. Imports no app of the portal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from pvd.exceptions import DomainError
from pvd.historique import changes_between
from pvd.models import TransitionLog


class ConflictError(DomainError):
    """Someone else changed the object since the form was opened (HTTP 409)."""

    def __init__(self, message: str, changes: list[tuple[str, str, str]] | None = None):
        super().__init__(message)
        self.changes = changes or []


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]


class Workflow:
    def __init__(self, field: str, transitions: list[Transition]):
        self.field = field
        self.transitions = {t.name: t for t in transitions}

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def available_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]


def apply_transition(
    obj: models.Model,
    workflow: Workflow,
    name: str,
    *,
    by,
    commentaire: str = "",
    changes: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> models.Model:
    """Fire transition `name` on `obj` and return the saved, locked row.

    Raises DomainError if the object is not in a source state of the transition (a second
    click on the same button ends here), ConflictError if `expected_version` is stale.
    """
    transition = workflow[name]
    changes = changes or {}
    with transaction.atomic():
        locked = type(obj).objects.select_for_update(of=("self",)).get(pk=obj.pk)
        state = getattr(locked, workflow.field)
        if state not in transition.sources:
            label = locked._meta.get_field(workflow.field).choices
            state_label = dict(label).get(state, state) if label else state
            raise DomainError(
                f"Action « {transition.label} » impossible : l’état actuel est « {state_label} »."
            )
        if expected_version is not None and locked.version != expected_version:
            raise ConflictError(
                "Ce dossier a été modifié par quelqu’un d’autre pendant que vous le "
                "consultiez : rechargez la page avant de recommencer."
            )
        setattr(locked, workflow.field, transition.target)
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.version += 1
        locked._history_user = by
        locked._change_reason = transition.label
        locked.save(update_fields=[workflow.field, "version", *changes])
        TransitionLog.objects.create(
            objet=locked,
            transition=transition.name,
            libelle=transition.label,
            source=state,
            cible=transition.target,
            user=by,
            commentaire=commentaire,
        )
    return locked


def log_creation(
    obj: models.Model, *, by, name: str, label: str, state: str, commentaire: str = ""
):
    """Log the first step of an object created in `state` (a deposit, a new avenant)."""
    TransitionLog.objects.create(
        objet=obj,
        transition=name,
        libelle=label,
        source="",
        cible=state,
        user=by,
        commentaire=commentaire,
    )


def lock_version(obj, expected_version: int | None):
    """Lock `obj`'s row for an edit; ConflictError if its version is no longer the one the
    form was opened with (`None`: no check). The error names who saved in between and lists
    what changed since, from the object's history when it has one."""
    locked = type(obj).objects.select_for_update(of=("self",)).get(pk=obj.pk)
    if expected_version is None or locked.version == expected_version:
        return locked
    changes, author = [], "quelqu’un d’autre"
    if hasattr(type(locked), "history"):
        history = locked.history.select_related("history_user").order_by("-history_date", "-pk")
        old = history.filter(version=expected_version).first()
        new = history.first()
        if old is not None and new is not None:
            changes = changes_between(new, old, type(locked))
        if new is not None and new.history_user is not None:
            author = str(new.history_user)
    raise ConflictError(
        f"« {locked} » a été modifié par {author} pendant que vous le modifiiez : vos "
        "changements n’ont pas été enregistrés. Vérifiez le formulaire, qui garde votre saisie, "
        "puis enregistrez à nouveau.",
        changes,
    )


def save_versioned(obj, by, reason: str, *, new: bool = False) -> None:
    """Save `obj` with the next version, its author and the reason in its history."""
    if not new:
        obj.version += 1
    obj._history_user = by
    obj._change_reason = reason
    obj.save()
