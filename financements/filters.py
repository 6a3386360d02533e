"""Filters of the lists of pillar 2 (django-filter), shared by the HTML lists and, later, the API.

A filter through the communes of a line uses a subquery, never a join: a line shared by two
communes of the filtered territory must stay one row (and count once in the totals)."""

import django_filters
from django import forms
from django.utils import timezone

from communes.models import Departement, Organisation
from conventions.models import Orientation
from financements.enums import EtatAction, EtatFinancement, TypeAction, TypeLabel
from financements.models import Financement, Mesure, SourceFinancement
from pvd.forms import FilterForm


class FinancementFilter(django_filters.FilterSet):
    source = django_filters.ModelChoiceFilter(
        label="Source",
        queryset=SourceFinancement.objects.all(),
        empty_label="Toutes les sources",
    )
    mesure = django_filters.ModelChoiceFilter(
        label="Mesure", queryset=Mesure.objects.all(), empty_label="Toutes les mesures"
    )
    financeur = django_filters.ModelChoiceFilter(
        label="Financeur",
        queryset=Organisation.objects.none(),
        empty_label="Tous les financeurs",
    )
    etat = django_filters.ChoiceFilter(
        label="État", choices=EtatFinancement.choices, empty_label="Tous les états"
    )
    annee = django_filters.NumberFilter(label="Année")
    departement = django_filters.ModelChoiceFilter(
        label="Département",
        queryset=Departement.objects.none(),
        method="filter_departement",
        empty_label="Tous les départements",
    )

    class Meta:
        form = FilterForm
        fields = ["source", "mesure", "financeur", "etat", "annee", "departement"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["financeur"].queryset = Organisation.objects.filter(
            pk__in=Financement.objects.values("financeur")
        )
        self.filters["departement"].queryset = Departement.objects.actuels().for_user(user)

    def filter_departement(self, queryset, name, value):
        lines = Financement.objects.filter(communes__departement=value).values("pk")
        return queryset.filter(pk__in=lines)


class ActionFilter(django_filters.FilterSet):
    orientation = django_filters.ModelChoiceFilter(
        label="Orientation",
        queryset=Orientation.objects.all(),
        empty_label="Toutes les orientations",
    )
    type = django_filters.ChoiceFilter(
        label="Type", choices=TypeAction.choices, empty_label="Tous les types"
    )
    etat = django_filters.ChoiceFilter(
        label="État", choices=EtatAction.choices, empty_label="Tous les états"
    )

    class Meta:
        form = FilterForm
        fields = ["orientation", "type", "etat"]


class LabelFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(
        label="Label", choices=TypeLabel.choices, empty_label="Tous les labels"
    )
    actif_le = django_filters.DateFilter(
        label="Actif à la date du",
        method="filter_actif_le",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        form = FilterForm
        fields = ["type", "actif_le"]

    def filter_actif_le(self, queryset, name, value):
        return queryset.actifs_le(value or timezone.localdate())
