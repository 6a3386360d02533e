"""Filters of the lists of pillar 2 (django-filter), shared by the HTML lists and the API (whose
filtersets, at the end of this module, extend them).

A filter through the communes of a line uses a subquery, never a join: a line shared by two
communes of the filtered territory must stay one row (and count once in the totals)."""

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from communes.enums import CategorieOrganisation
from communes.models import EPCI, Commune, Departement, Organisation, Region
from conventions.models import Orientation
from financements.enums import (
    CategorieSource,
    EtatAction,
    EtatFinancement,
    Pilier,
    TypeAction,
    TypeLabel,
)
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


# The API's lists (`financements.api`, `ingenierie.api`) -----------------------------------------
#
# The HTML lists' filtersets above, with what a system needs besides: objects of the referential
# by their code rather than their number, any territory by its official code (a territory
# outside the perimeter simply selects nothing), dates. The user comes from the request
# (`FiltresPVD` passes it).


def _territoire(model, label: str, name: str):
    return django_filters.ModelChoiceFilter(
        label=label, queryset=model.objects.all(), method=f"filter_{name}"
    )


def _documented(label: str):
    """The schema of a filter read through a method (drf-spectacular cannot tell its type)."""
    return extend_schema_field({"type": "string", "description": label})


REGION = "Code INSEE d’une région : les objets dont une commune y est."
DEPARTEMENT = "Code INSEE d’un département : les objets dont une commune y est."
EPCI_SIREN = "SIREN d’un EPCI : les objets dont une commune en est membre."
COMMUNE = "Code INSEE d’une commune : les objets qui la concernent."


class TerritoiresFilterMixin(django_filters.FilterSet):
    """`region`, `departement`, `epci`, `commune`: the objects one of whose communes (the path
    `communes_path` from the model) is in that territory — through a subquery for a
    many-to-many relation, so that an object shared by two communes of the territory stays one
    row."""

    communes_path = "communes__"

    region = _territoire(Region, REGION, "region")
    departement = _territoire(Departement, DEPARTEMENT, "departement")
    epci = _territoire(EPCI, EPCI_SIREN, "epci")
    commune = _territoire(Commune, COMMUNE, "commune")

    def _through_communes(self, queryset, lookup: str, value):
        lookup = f"{self.communes_path}{lookup}"
        if self.communes_path.endswith("s__"):
            inside = queryset.model._base_manager.filter(**{lookup: value.pk}).values("pk")
            return queryset.filter(pk__in=inside)
        return queryset.filter(**{lookup: value.pk})

    @_documented(REGION)
    def filter_region(self, queryset, name, value):
        return self._through_communes(queryset, "departement__region", value)

    @_documented(DEPARTEMENT)
    def filter_departement(self, queryset, name, value):
        return self._through_communes(queryset, "departement", value)

    @_documented(EPCI_SIREN)
    def filter_epci(self, queryset, name, value):
        return self._through_communes(queryset, "epci", value)

    @_documented(COMMUNE)
    def filter_commune(self, queryset, name, value):
        return self._through_communes(queryset, "pk", value)


def _code(model, label: str, **kwargs):
    return django_filters.ModelChoiceFilter(
        label=label, queryset=model.objects.all(), to_field_name="code", **kwargs
    )


class FinancementApiFilter(TerritoiresFilterMixin, FinancementFilter):
    source = _code(SourceFinancement, "Code de la source de financement (`detr`…).")
    mesure = _code(Mesure, "Code de la mesure du programme.")
    financeur = _code(Organisation, "Code de l’organisation financeuse (`bdt`, `etat`…).")
    etat = django_filters.ChoiceFilter(label="État de la ligne.", choices=EtatFinancement.choices)
    annee = django_filters.NumberFilter(label="Année de la demande.")
    action = django_filters.NumberFilter(label="Numéro de l’action financée.")
    departement = _territoire(Departement, DEPARTEMENT, "departement")
    decide_depuis = django_filters.DateFilter(
        label="Décidées ce jour-là ou après (AAAA-MM-JJ).",
        field_name="decide_le",
        lookup_expr="gte",
    )
    decide_jusqu_au = django_filters.DateFilter(
        label="Décidées ce jour-là ou avant (AAAA-MM-JJ).",
        field_name="decide_le",
        lookup_expr="lte",
    )

    class Meta(FinancementFilter.Meta):
        form = forms.Form
        fields = [
            *FinancementFilter.Meta.fields,
            "action",
            "decide_depuis",
            "decide_jusqu_au",
            "region",
            "epci",
            "commune",
        ]

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        user = getattr(request, "user", None) or AnonymousUser()
        super().__init__(data, queryset, user=user, request=request, **kwargs)
        # Any organisation, any département (outside the perimeter: no row).
        self.filters["financeur"].queryset = Organisation.objects.all()
        self.filters["departement"].queryset = Departement.objects.all()


class ActionApiFilter(TerritoiresFilterMixin, ActionFilter):
    orientation = _code(Orientation, "Code de l’orientation (`commerce`, `habitat`…).")
    type = django_filters.ChoiceFilter(label="Type d’action.", choices=TypeAction.choices)
    etat = django_filters.ChoiceFilter(label="État de l’action.", choices=EtatAction.choices)

    class Meta(ActionFilter.Meta):
        form = forms.Form
        fields = [*ActionFilter.Meta.fields, "region", "departement", "epci", "commune"]


class LabelApiFilter(TerritoiresFilterMixin, LabelFilter):
    communes_path = "commune__"

    type = django_filters.ChoiceFilter(label="Type de label.", choices=TypeLabel.choices)
    actif_le = django_filters.DateFilter(
        label="Les labels en place ce jour-là (AAAA-MM-JJ).", method="filter_actif_le"
    )

    class Meta(LabelFilter.Meta):
        form = forms.Form
        fields = [*LabelFilter.Meta.fields, "region", "departement", "epci", "commune"]


class MesureApiFilter(django_filters.FilterSet):
    partenaire = _code(Organisation, "Code de l’organisation qui porte la mesure.")
    pilier = django_filters.ChoiceFilter(label="Pilier du programme.", choices=Pilier.choices)
    cle = django_filters.BooleanFilter(label="`true` : les mesures clés seulement.")
    active = django_filters.BooleanFilter(label="`false` : les mesures retirées de l’offre.")

    class Meta:
        model = Mesure
        fields = ["partenaire", "pilier", "cle", "active"]


class SourceApiFilter(django_filters.FilterSet):
    financeur = _code(Organisation, "Code de l’organisation financeuse.")
    categorie = django_filters.ChoiceFilter(
        label="Catégorie de la source.", choices=CategorieSource.choices
    )
    active = django_filters.BooleanFilter(label="`false` : les sources fermées.")

    class Meta:
        model = SourceFinancement
        fields = ["financeur", "categorie", "active"]


class OrganisationApiFilter(django_filters.FilterSet):
    categorie = django_filters.ChoiceFilter(
        label="Catégorie de l’organisation.", choices=CategorieOrganisation.choices
    )

    class Meta:
        model = Organisation
        fields = ["categorie"]
