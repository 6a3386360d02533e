"""Filters of the Club's lists (django-filter), shared by the HTML pages and, later, the API."""

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

from club.enums import TypeEvenement
from club.models import Thematique
from pvd.forms import FilterForm


class AgendaFilter(django_filters.FilterSet):
    """The public agenda: upcoming events by default, the past ones too with `passes`."""

    thematique = django_filters.ModelChoiceFilter(
        label="Thématique",
        queryset=Thematique.objects.all(),
        empty_label="Toutes les thématiques",
    )
    type = django_filters.ChoiceFilter(
        label="Type d’événement", choices=TypeEvenement.choices, empty_label="Tous les types"
    )
    passes = django_filters.BooleanFilter(
        label="Afficher aussi les événements passés",
        widget=forms.CheckboxInput,
        method="filter_passes",
    )

    class Meta:
        form = FilterForm
        fields = ["thematique", "type", "passes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["passes"].template_name = "club/_agenda_case_a_cocher.html"

    def filter_passes(self, queryset, name, value):
        return queryset  # read by filter_queryset, which always runs

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        now = timezone.now()
        if not self.form.cleaned_data.get("passes"):
            return queryset.upcoming(now)
        # Upcoming events first, soonest first; then past ones, latest first.
        passe = Case(
            When(fin__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
        a_venir = Case(When(fin__gte=now, then=F("debut")))
        return queryset.order_by(passe, a_venir.asc(nulls_last=True), "-debut", "pk")
