"""The audit of every change: each history row (django-simple-history) also says through which
channel the change came — the web interface, the API, the Django admin, an import, or a
command or background job — and the object's label as it read then, so that the ANCT can
search every change of the portal (`pvd.views.audit`). Imports no app.

The channel is a context variable: `ChannelMiddleware` sets it for a request from its path,
`save_in_bulk` (imports) and whoever else needs it set it with `with channel(...)`, and
outside any request (management commands, Celery tasks, the shell) it is « Commande ou
traitement en masse ». History rows read it through the default of their `history_channel`
field, so that every way of writing them (a save, `bulk_history_create`) records it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.dispatch import receiver
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

API_PREFIX = "/api/"
ADMIN_PREFIX = "/admin/"


class Channel(models.TextChoices):
    WEB = "web", "Interface web"
    API = "api", "API"
    ADMIN = "admin", "Administration"
    IMPORT = "import", "Import"
    COMMANDE = "commande", "Commande ou traitement en masse"


def channel_label(value: str) -> str:
    """« Interface web », « API »…; rows written before the audit existed have no channel."""
    return Channel(value).label if value else "Non renseigné"


_current: ContextVar[str] = ContextVar("pvd_audit_channel", default=Channel.COMMANDE)


def current_channel() -> str:
    """The channel of the change being written (the default of `history_channel`)."""
    return str(_current.get())


@contextmanager
def channel(value: Channel) -> Iterator[None]:
    """Record the changes made inside the block as coming through `value`."""
    token = _current.set(value)
    try:
        yield
    finally:
        _current.reset(token)


def channel_of_path(path: str) -> Channel:
    if path.startswith(API_PREFIX):
        return Channel.API
    if path.startswith(ADMIN_PREFIX):
        return Channel.ADMIN
    return Channel.WEB


class ChannelMiddleware:
    """The channel of a request: the API under /api/, the admin under /admin/, else the web
    interface (placed right after simple-history's middleware, which records the user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with channel(channel_of_path(request.path_info)):
            return self.get_response(request)


def label_of(obj) -> str:
    return str(obj)[:255]


class Audit(models.Model):
    """The base of every history model: the channel and the object's label (for the search)."""

    history_channel = models.CharField(
        "canal", max_length=12, choices=Channel.choices, default=current_channel, blank=True
    )
    history_label = models.CharField("objet", max_length=255, blank=True)

    class Meta:
        abstract = True

    @property
    def history_channel_label(self) -> str:
        return channel_label(self.history_channel)


class AuditedHistoryManager(HistoryManager):
    def bulk_history_create(self, objs, *args, **kwargs):
        """simple-history's, then the objects' labels in one UPDATE per thousand rows (the
        rows are built inside the library, from the objects' fields only)."""
        from pvd.imports.ecriture import _update  # it imports the workflows, which import us

        objs = list(objs)
        rows = super().bulk_history_create(objs, *args, **kwargs)
        if rows:
            for row, obj in zip(rows, objs, strict=True):
                row.history_label = label_of(obj)
            _update(self.model, rows, ["history_label"])
        return rows


class AuditedHistoricalRecords(HistoricalRecords):
    """`HistoricalRecords` whose rows carry the channel and the object's label (`Audit`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("bases", [Audit])
        kwargs.setdefault("history_manager", AuditedHistoryManager)
        super().__init__(*args, **kwargs)


@receiver(pre_create_historical_record)
def _label_history_row(sender, instance, history_instance, **kwargs):
    if isinstance(history_instance, Audit):
        history_instance.history_label = label_of(instance)


# The search of every change (the ANCT's page) -------------------------------------------------

COLUMNS = (
    "history_id",
    "history_date",
    "history_user_id",
    "history_channel",
    "history_type",
    "history_change_reason",
    "history_label",
)


def audited_models() -> dict[str, type[models.Model]]:
    """The history model of every audited model, by "app_label.model" of the model, in the
    order of their names."""
    from django.apps import apps

    found = [m for m in apps.get_models() if issubclass(m, Audit)]
    found.sort(key=lambda h: str(h.instance_type._meta.verbose_name).lower())
    return {h.instance_type._meta.label_lower: h for h in found}


def search(
    *,
    kinds: list[str] | None = None,
    users=None,
    channel: str = "",
    since=None,
    until=None,
    text: str = "",
):
    """Every history row matching the filters, newest first, as dicts (COLUMNS, plus `kind`,
    the "app_label.model" of the object, and `object_id`): one UNION ALL of the history
    tables, each filtered on its own. `users`: a queryset of users (the authors), `since` and
    `until`: days, both included."""
    filters = models.Q()
    if users is not None:
        filters &= models.Q(history_user__in=users)
    if channel:
        filters &= models.Q(history_channel=channel)
    if since:
        filters &= models.Q(history_date__date__gte=since)
    if until:
        filters &= models.Q(history_date__date__lte=until)
    if text:
        filters &= models.Q(history_label__icontains=text)
    queries = [
        history.objects.filter(filters)
        .annotate(
            kind=models.Value(key, output_field=models.CharField()),
            object_id=models.F(history.instance_type._meta.pk.attname),
        )
        .values(*COLUMNS, "kind", "object_id")
        .order_by()  # history models are ordered, which a branch of a UNION may not be
        for key, history in audited_models().items()
        if not kinds or key in kinds
    ]
    first, *others = queries
    return first.union(*others, all=True).order_by("-history_date", "-history_id")
