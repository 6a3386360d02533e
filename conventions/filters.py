"""Filters of the dossier lists (django-filter), shared by the HTML lists and, later, the API.

They filter querysets annotated by `Dossier.objects.with_etape()`.
"""

import django_filters
from django.db.models import Q
from django.utils import timezone

from communes.models import EPCI, Departement, Region
from conventions.enums import Echeance, Etape
from pvd.forms import FilterForm
from pvd.text import normalize_query


def _search(queryset, name, value):
    code = value.replace(" ", "").upper()
    words = normalize_query(value)
    return queryset.filter(Q(code__startswith=code) | Q(nom_recherche__contains=words))


class DossierFilter(django_filters.FilterSet):
    """The préfecture's (or ANCT's, or the région's) list of the communes of the programme."""

    q = django_filters.CharFilter(label="Commune", method=_search)
    etape = django_filters.ChoiceFilter(
        label="Étape", choices=Etape.choices, empty_label="Toutes les étapes"
    )
    epci = django_filters.ModelChoiceFilter(
        label="EPCI", queryset=EPCI.objects.none(), empty_label="Tous les EPCI"
    )
    echeance = django_filters.ChoiceFilter(
        label="Projet de territoire",
        choices=[(Echeance.PROCHE, Echeance.PROCHE.label), (Echeance.EN_RETARD, "En retard")],
        method="filter_echeance",
        empty_label="Toutes les échéances",
    )
    ordre = django_filters.OrderingFilter(
        label="Trier par",
        fields=(("nom_recherche", "nom"), ("etape", "etape"), ("date_adhesion", "echeance")),
        field_labels={"nom_recherche": "Nom", "etape": "Étape", "date_adhesion": "Échéance"},
        empty_label="Ordre alphabétique",
    )

    class Meta:
        form = FilterForm
        fields = ["q", "etape", "epci", "echeance"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["epci"].queryset = EPCI.objects.actuels().for_user(user)

    def filter_echeance(self, queryset, name, value):
        today = timezone.localdate()
        if value == Echeance.EN_RETARD:
            return queryset.overdue(today)
        return queryset.due_within(today)


class CommunePVDFilter(django_filters.FilterSet):
    """The public list of PVD communes."""

    q = django_filters.CharFilter(label="Commune (nom ou code INSEE)", method=_search)
    region = django_filters.ModelChoiceFilter(
        label="Région",
        field_name="departement__region",
        queryset=Region.objects.actuels(),
        empty_label="Toutes les régions",
    )
    departement = django_filters.ModelChoiceFilter(
        label="Département",
        queryset=Departement.objects.actuels(),
        empty_label="Tous les départements",
    )
    etape = django_filters.ChoiceFilter(
        label="Étape",
        choices=[(e.value, e.label) for e in Etape if e != Etape.CANDIDATE],
        empty_label="Toutes les étapes",
    )

    class Meta:
        form = FilterForm
        fields = ["q", "region", "departement", "etape"]
