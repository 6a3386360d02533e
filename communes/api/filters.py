"""Filters of the territory lists of the API (django-filter).

Territories are addressed by their official codes: `?departement=58`, `?region=27`,
`?epci=200067429`. An unknown code, or an `actuel` other than `true`/`false`, answers 400 with
django-filter's French message for that parameter.

Current territories only by default, as the HTML territory browser lists them (its régions, the
communes of a département or an EPCI): `?actuel=false` lists the obsolete ones instead. A code
filter accepts an obsolete territory (its former communes are in the referential).
"""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from communes.models import EPCI, Commune, Departement, Region
from pvd.text import normalize_query, normalize_search

ACTUEL_CHOICES = [("true", "Territoires actuels"), ("false", "Territoires obsolètes")]


class TerritoireFilter(django_filters.FilterSet):
    actuel = django_filters.ChoiceFilter(
        label="`true` (par défaut) : les territoires du code officiel géographique en vigueur ; "
        "`false` : ceux qui n’y figurent plus.",
        choices=ACTUEL_CHOICES,
        method="filter_actuel",
    )

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("actuel"):
            queryset = queryset.actuels()
        return super().filter_queryset(queryset)

    def filter_actuel(self, queryset, name, value):
        return queryset.filter(obsolete=value == "false")


def _code_or_name(queryset, name, value):
    """Régions and départements: no normalised column, and a hundred rows at most: compare in
    Python, as the browser's search does."""
    words, code = normalize_query(value), value.replace(" ", "").upper()
    codes = [
        territoire_code
        for territoire_code, nom in queryset.values_list("code", "nom")
        if territoire_code == code or (words and words in normalize_search(nom))
    ]
    return queryset.filter(code__in=codes)


class RegionFilter(TerritoireFilter):
    q = django_filters.CharFilter(
        label="Code INSEE exact, ou partie du nom (sans égard aux accents ni à la casse).",
        method=_code_or_name,
    )

    class Meta:
        model = Region
        fields = ["q", "actuel"]


class DepartementFilter(TerritoireFilter):
    q = django_filters.CharFilter(
        label="Code INSEE exact, ou partie du nom (sans égard aux accents ni à la casse).",
        method=_code_or_name,
    )
    region = django_filters.ModelChoiceFilter(
        label="Code INSEE de la région.", queryset=Region.objects.all()
    )

    class Meta:
        model = Departement
        fields = ["q", "region", "actuel"]


class EPCIFilter(TerritoireFilter):
    q = django_filters.CharFilter(
        label="Début du SIREN, ou partie du nom (sans égard aux accents ni à la casse).",
        method="filter_q",
    )
    departement = django_filters.ModelChoiceFilter(
        label="Code INSEE d’un département : les EPCI dont une commune y est (certains sont "
        "à cheval sur deux).",
        queryset=Departement.objects.all(),
        method="filter_departement",
    )
    region = django_filters.ModelChoiceFilter(
        label="Code INSEE d’une région : les EPCI dont une commune y est.",
        queryset=Region.objects.all(),
        method="filter_region",
    )

    class Meta:
        model = EPCI
        fields = ["q", "departement", "region", "actuel"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    # Documented as the code it reads (django-filter cannot tell through a method).
    @extend_schema_field(OpenApiTypes.STR)
    def filter_departement(self, queryset, name, value):
        return queryset.in_departement(value)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_region(self, queryset, name, value):
        communes = Commune.objects.filter(departement__region=value)
        return queryset.filter(pk__in=communes.values("epci"))


class CommuneFilter(TerritoireFilter):
    q = django_filters.CharFilter(
        label="Début du code INSEE ou d’un code postal, ou partie du nom (sans égard aux accents "
        "ni à la casse, « St » pour « Saint ») : les meilleures correspondances d’abord.",
        method="filter_q",
    )
    departement = django_filters.ModelChoiceFilter(
        label="Code INSEE du département.", queryset=Departement.objects.all()
    )
    region = django_filters.ModelChoiceFilter(
        label="Code INSEE de la région.",
        field_name="departement__region",
        queryset=Region.objects.all(),
    )
    epci = django_filters.ModelChoiceFilter(label="SIREN de l’EPCI.", queryset=EPCI.objects.all())

    class Meta:
        model = Commune
        fields = ["q", "departement", "region", "epci", "actuel"]

    def filter_q(self, queryset, name, value):
        matches = queryset.search(value)
        # The relevance order, then the code: a stable order, page after page.
        return matches.order_by(*matches.query.order_by, "code")
