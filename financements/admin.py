"""Pillar 2 in the Django admin. Lines, actions, comités and labels are for consultation by
superusers (their changes go through the services: rules, log, history); the catalogue
(mesures, sources), a referential, stays editable by staff."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from financements.models import (
    Action,
    ComiteFinanceurs,
    Financement,
    Label,
    Mesure,
    SourceFinancement,
    Versement,
)
from pvd.admin import ReadOnlyAdminMixin


class ConsultationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    pass


@admin.register(Mesure)
class MesureAdmin(SimpleHistoryAdmin):
    list_display = ["titre", "code", "partenaire", "pilier", "cle", "active"]
    list_filter = ["cle", "active", "pilier"]
    search_fields = ["titre", "code"]


@admin.register(SourceFinancement)
class SourceFinancementAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "sigle", "code", "categorie", "financeur", "active"]
    list_filter = ["categorie", "active"]
    search_fields = ["nom", "sigle", "code"]


@admin.register(Financement)
class FinancementAdmin(ConsultationAdmin):
    list_display = ["__str__", "financeur", "annee", "etat", "montant_demande", "montant_accorde"]
    list_filter = ["etat", "annee", "financeur"]
    list_select_related = ["source", "mesure", "financeur"]
    search_fields = ["objet", "communes__nom", "communes__code"]


@admin.register(Versement)
class VersementAdmin(ConsultationAdmin):
    list_display = ["financement", "verse_le", "montant"]
    list_select_related = ["financement__source", "financement__mesure"]


@admin.register(Action)
class ActionAdmin(ConsultationAdmin):
    list_display = ["titre", "type", "etat", "budget"]
    list_filter = ["type", "etat", "orientation"]
    search_fields = ["titre", "communes__nom"]


@admin.register(ComiteFinanceurs)
class ComiteFinanceursAdmin(ConsultationAdmin):
    list_display = ["__str__", "date", "tenu"]
    list_filter = ["tenu"]
    list_select_related = ["departement"]


@admin.register(Label)
class LabelAdmin(ConsultationAdmin):
    list_display = ["__str__", "commune", "type", "debut", "fin"]
    list_filter = ["type"]
    list_select_related = ["commune"]
    search_fields = ["nom", "commune__nom"]
