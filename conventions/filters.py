"""Filters of the journey's lists (django-filter), shared by the HTML lists and the API.

The dossier filters read querysets annotated by `Dossier.objects.with_etape()`. The API's filters
name territories by their official codes (`?departement=58`, `?epci=200067429`,
`?commune=58079`): an unknown code answers 400 with django-filter's French message.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from communes.models import EPCI, Commune, Departement, Region
from conventions.enums import Echeance, Etape, EtatCandidature, EtatConvention
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


class DossierAPIFilter(DossierFilter):
    """The dossier list's filters for the API (its EPCI among those of the perimeter), with the
    région and the département by code."""

    region = django_filters.ModelChoiceFilter(
        label="Code INSEE de la région.",
        field_name="departement__region",
        queryset=Region.objects.all(),
    )
    departement = django_filters.ModelChoiceFilter(
        label="Code INSEE du département.", queryset=Departement.objects.all()
    )

    class Meta(DossierFilter.Meta):
        fields = ["q", "region", "departement", "epci", "etape", "echeance"]

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        # DRF's filter backend gives the request; the HTML list gives the user.
        super().__init__(data, queryset, request=request, user=request.user, **kwargs)

    # Documented with its values (drf-spectacular cannot type the enum members of `choices`).
    @extend_schema_field({"type": "string", "enum": [Echeance.PROCHE, Echeance.EN_RETARD]})
    def filter_echeance(self, queryset, name, value):
        return super().filter_echeance(queryset, name, value)


# The API's lists of candidatures, conventions and avenants --------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class EntierFilter(django_filters.NumberFilter):
    """A whole number (django-filter's NumberFilter reads a decimal)."""

    field_class = forms.IntegerField


def _annee(field_name: str, label: str) -> EntierFilter:
    return EntierFilter(
        label=label, field_name=field_name, lookup_expr="year", min_value=1900, max_value=2100
    )


def _numero(field_name: str, label: str) -> EntierFilter:
    return EntierFilter(label=label, field_name=field_name, min_value=1, max_value=2**63 - 1)


class ParTerritoire(django_filters.FilterSet):
    """Objects whose communes (reached through each path of `chemins`, a many-to-many relation)
    include one of the territory named by its official code."""

    chemins = ("communes__",)
    LOOKUPS = {
        "region": "departement__region",
        "departement": "departement",
        "epci": "epci",
        "commune": "pk",
    }

    region = django_filters.ModelChoiceFilter(
        label="Code INSEE d’une région : les objets dont une commune y est.",
        queryset=Region.objects.all(),
        method="filter_territoire",
    )
    departement = django_filters.ModelChoiceFilter(
        label="Code INSEE d’un département : les objets dont une commune y est.",
        queryset=Departement.objects.all(),
        method="filter_territoire",
    )
    epci = django_filters.ModelChoiceFilter(
        label="SIREN d’un EPCI : les objets dont une commune en est membre.",
        queryset=EPCI.objects.all(),
        method="filter_territoire",
    )
    commune = django_filters.ModelChoiceFilter(
        label="Code INSEE d’une commune : les objets qui la concernent.",
        queryset=Commune.objects.all(),
        method="filter_territoire",
    )

    @extend_schema_field(OpenApiTypes.STR)  # the code it reads
    def filter_territoire(self, queryset, name, value):
        condition = Q()
        for chemin in self.chemins:
            condition |= Q(**{f"{chemin}{self.LOOKUPS[name]}": value.pk})
        # A subquery rather than a join: an object of several communes is listed once.
        return queryset.filter(pk__in=queryset.model.objects.filter(condition).values("pk"))


class CandidatureFilter(ParTerritoire):
    etat = django_filters.ChoiceFilter(
        label="État de la candidature.", choices=EtatCandidature.choices
    )
    deposee_apres = django_filters.DateFilter(
        label="Déposées ce jour-là ou après (AAAA-MM-JJ).",
        field_name="deposee_le",
        lookup_expr="gte",
    )
    deposee_avant = django_filters.DateFilter(
        label="Déposées ce jour-là ou avant (AAAA-MM-JJ).",
        field_name="deposee_le",
        lookup_expr="lte",
    )
    annee = _annee("deposee_le", "Année du dépôt.")


class ConventionFilter(ParTerritoire):
    etat = django_filters.ChoiceFilter(
        label="État de la convention.", choices=EtatConvention.choices
    )
    signee_apres = django_filters.DateFilter(
        label="Signées ce jour-là ou après (AAAA-MM-JJ).", field_name="signee_le", lookup_expr="gte"
    )
    signee_avant = django_filters.DateFilter(
        label="Signées ce jour-là ou avant (AAAA-MM-JJ).", field_name="signee_le", lookup_expr="lte"
    )
    annee = _annee("signee_le", "Année de la signature.")


class ConventionCadreFilter(ConventionFilter):
    adhesion = _numero("adhesion", "Numéro de la convention d’adhésion complétée.")


class AvenantFilter(ConventionFilter):
    chemins = ("adhesion__communes__", "cadre__communes__")

    convention_adhesion = _numero("adhesion", "Numéro de la convention d’adhésion modifiée.")
    convention_cadre = _numero("cadre", "Numéro de la convention-cadre modifiée.")
