"""Filters of pillar 1's lists in the API (django-filter). The HTML lists filter with plain
forms (`ingenierie.forms`: état and département of a post; partner, nature and état of a
soutien): the same filters here, with the territory filters of pillar 2
(`financements.filters.TerritoiresFilterMixin`, official codes) and dates."""

import django_filters

from communes.models import Organisation
from financements.filters import TerritoiresFilterMixin
from financements.models import Mesure
from ingenierie.enums import EtatPoste, EtatSoutien, NatureSoutien
from ingenierie.models import BesoinsExprimes, PosteChefDeProjet, PosteVTA, SoutienIngenierie


def _code(model, label: str):
    return django_filters.ModelChoiceFilter(
        label=label, queryset=model.objects.all(), to_field_name="code"
    )


class PosteApiFilter(TerritoiresFilterMixin):
    etat = django_filters.ChoiceFilter(label="État du poste.", choices=EtatPoste.choices)
    pris_depuis = django_filters.DateFilter(
        label="Pris ce jour-là ou après (AAAA-MM-JJ).", field_name="debut", lookup_expr="gte"
    )

    class Meta:
        model = PosteChefDeProjet
        fields = ["etat", "pris_depuis", "region", "departement", "epci", "commune"]


class VtaApiFilter(TerritoiresFilterMixin):
    communes_path = "poste__communes__"

    poste = django_filters.NumberFilter(label="Numéro du poste de chef de projet appuyé.")

    class Meta:
        model = PosteVTA
        fields = ["poste", "region", "departement", "epci", "commune"]


class SoutienApiFilter(TerritoiresFilterMixin):
    organisation = _code(Organisation, "Code du partenaire (`cerema`, `bdt`…).")
    mesure = _code(Mesure, "Code de la mesure de l’offre.")
    nature = django_filters.ChoiceFilter(label="Nature du soutien.", choices=NatureSoutien.choices)
    etat = django_filters.ChoiceFilter(label="État du soutien.", choices=EtatSoutien.choices)
    debut_depuis = django_filters.DateFilter(
        label="Commencés ce jour-là ou après (AAAA-MM-JJ).", field_name="debut", lookup_expr="gte"
    )
    debut_jusqu_au = django_filters.DateFilter(
        label="Commencés ce jour-là ou avant (AAAA-MM-JJ).", field_name="debut", lookup_expr="lte"
    )

    class Meta:
        model = SoutienIngenierie
        fields = [
            "organisation",
            "mesure",
            "nature",
            "etat",
            "debut_depuis",
            "debut_jusqu_au",
            "region",
            "departement",
            "epci",
            "commune",
        ]


class BesoinsApiFilter(TerritoiresFilterMixin):
    communes_path = "commune__"

    chef_de_projet = django_filters.BooleanFilter(label="Besoin de financer le chef de projet.")
    etudes = django_filters.BooleanFilter(label="Besoin de financer des études.")
    investissements = django_filters.BooleanFilter(label="Besoin de financer des investissements.")

    class Meta:
        model = BesoinsExprimes
        fields = ["chef_de_projet", "etudes", "investissements"]
        fields += ["region", "departement", "epci", "commune"]
