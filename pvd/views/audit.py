"""The audit page of the ANCT: every change of every audited object of the portal (who, when,
through which channel, what), filtered and paginated; the before and after of each change are
on the object's *Historique*, where each row links to."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_GET

from communes.models import User
from pvd import audit
from pvd.forms import FilterForm
from pvd.historique import ACTIONS
from pvd.navigation import fil_ariane
from pvd.notes.permissions import is_national
from pvd.text import nombre

PAR_PAGE = 50


class AuditForm(FilterForm):
    auteur = forms.CharField(label="Auteur (nom ou e-mail)", required=False, max_length=100)
    objet = forms.ChoiceField(label="Type d’objet", required=False)
    canal = forms.ChoiceField(
        label="Canal", required=False, choices=[("", "Tous les canaux"), *audit.Channel.choices]
    )
    du = forms.DateField(label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    texte = forms.CharField(label="Libellé de l’objet contient", required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objet"].choices = [("", "Tous les objets")] + [
            (key, str(history.instance_type._meta.verbose_name).capitalize())
            for key, history in audit.audited_models().items()
        ]

    def clean(self):
        data = super().clean()
        if data.get("du") and data.get("au") and data["du"] > data["au"]:
            raise forms.ValidationError("La date de début doit précéder la date de fin.")
        return data


def _authors(text: str):
    words = Q()
    for word in text.split():
        words &= (
            Q(email__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    return User.objects.filter(words).values("pk")


def _rows(page) -> list[dict]:
    """The page's rows with their author, kind and object (a query per table, not per row)."""
    rows = list(page.object_list)
    users = User.objects.in_bulk({row["history_user_id"] for row in rows} - {None})
    models = audit.audited_models()
    objects = {}
    for kind in {row["kind"] for row in rows}:
        model = models[kind].instance_type
        ids = {row["object_id"] for row in rows if row["kind"] == kind}
        objects[kind] = model._default_manager.in_bulk(ids)
    for row in rows:
        model = models[row["kind"]].instance_type
        obj = objects[row["kind"]].get(row["object_id"])
        row["user"] = users.get(row["history_user_id"])
        row["type"] = str(model._meta.verbose_name).capitalize()
        row["libelle"] = row["history_label"] or f"{row['type']} n° {row['object_id']}"
        row["url"] = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
        row["canal"] = audit.channel_label(row["history_channel"])
        row["action"] = row["history_change_reason"] or ACTIONS.get(row["history_type"], "")
    return rows


@require_GET
def journal(request):
    """Every change, newest first. ANCT only: others get a 403 (the page is no secret)."""
    if not is_national(request.user):
        raise PermissionDenied("Le journal des modifications est réservé à l’équipe de l’ANCT.")
    form = AuditForm(request.GET or None)
    page, status = None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        changes = audit.search(
            kinds=[data["objet"]] if data.get("objet") else None,
            users=_authors(data["auteur"]) if data.get("auteur") else None,
            channel=data.get("canal", ""),
            since=data.get("du"),
            until=data.get("au"),
            text=data.get("texte", "").strip(),
        )
        page = Paginator(changes, PAR_PAGE).get_page(request.GET.get("page"))
    caption = ""
    if page is not None:
        count = page.paginator.count
        caption = f"{nombre(count)} modification{pluralize(count)}"
        if page.paginator.num_pages > 1:
            caption += f" — page {page.number} sur {page.paginator.num_pages}"
    return render(
        request,
        "pvd/audit.html",
        {
            "form": form,
            "page": page,
            "rows": _rows(page) if page is not None else [],
            "caption": caption,
            "breadcrumb_data": fil_ariane("Journal des modifications"),
        },
        status=status,
    )
