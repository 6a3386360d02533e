"""Filters of the Club's lists in the API (django-filter): events by type, thématique, dates
and département; registrations by event and state. A value that cannot be read answers 400
with the parameter's French message (`pvd.api.filtres.FiltresPVD`)."""

import django_filters
from django.db.models import Q

from club.enums import EtatEvenement, EtatInscription, TypeEvenement
from club.models import Evenement, Inscription, Thematique
from communes.models import Departement


class EvenementFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(label="Type d’événement.", choices=TypeEvenement.choices)
    thematique = django_filters.ModelChoiceFilter(
        label="Code de la thématique (par exemple `revitalisation-commerciale`).",
        queryset=Thematique.objects.all(),
    )
    etat = django_filters.ChoiceFilter(
        label="État de l’événement (les brouillons et propositions ne sont visibles que de "
        "l’équipe du Club, de leur auteur et de la préfecture du département).",
        choices=EtatEvenement.choices,
    )
    du = django_filters.DateFilter(
        label="Les événements qui finissent ce jour-là ou après (AAAA-MM-JJ).",
        field_name="fin__date",
        lookup_expr="gte",
    )
    au = django_filters.DateFilter(
        label="Les événements qui commencent ce jour-là ou avant (AAAA-MM-JJ).",
        field_name="debut__date",
        lookup_expr="lte",
    )
    departement = django_filters.ModelChoiceFilter(
        label="Code INSEE d’un département : ses événements locaux et ceux qu’accueille une de "
        "ses communes.",
        queryset=Departement.objects.all(),
        method="filter_departement",
    )

    class Meta:
        model = Evenement
        fields = ["type", "thematique", "etat", "du", "au", "departement"]

    def filter_departement(self, queryset, name, value):
        return queryset.filter(Q(departement=value) | Q(commune__departement=value))


class InscriptionFilter(django_filters.FilterSet):
    evenement = django_filters.ModelChoiceFilter(
        label="Identifiant de l’événement.", queryset=Evenement.objects.all()
    )
    etat = django_filters.ChoiceFilter(
        label="État de l’inscription.", choices=EtatInscription.choices
    )

    class Meta:
        model = Inscription
        fields = ["evenement", "etat"]
