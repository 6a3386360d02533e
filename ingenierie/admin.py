"""Pillar 1 in the Django admin (superusers): consultation only, with each object's history.

Posts, soutiens and besoins change through the services (the 75 % cap, the Anah's OPAH-RU,
who may record what), never by editing a row here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ingenierie.models import BesoinsExprimes, PosteChefDeProjet, PosteVTA, SoutienIngenierie
from pvd.admin import ReadOnlyAdminMixin


class ConsultationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    pass


@admin.register(PosteChefDeProjet)
class PosteChefDeProjetAdmin(ConsultationAdmin):
    list_display = ["__str__", "etat", "titulaire_nom", "cout_annuel", "debut", "fin"]
    list_filter = ["etat"]
    search_fields = ["communes__nom", "communes__code", "titulaire_nom"]


@admin.register(PosteVTA)
class PosteVTAAdmin(ConsultationAdmin):
    list_display = ["titulaire_nom", "poste", "debut", "fin"]
    search_fields = ["titulaire_nom", "poste__communes__nom"]


@admin.register(SoutienIngenierie)
class SoutienIngenierieAdmin(ConsultationAdmin):
    list_display = ["objet", "organisation", "nature", "montant_euros", "nombre_jours", "etat"]
    list_filter = ["nature", "etat", "organisation"]
    search_fields = ["objet", "communes__nom", "communes__code"]


@admin.register(BesoinsExprimes)
class BesoinsExprimesAdmin(ConsultationAdmin):
    list_display = ["commune", "chef_de_projet", "etudes", "investissements", "adhesion"]
    list_filter = ["chef_de_projet", "etudes", "investissements"]
    search_fields = ["commune__nom", "commune__code"]
