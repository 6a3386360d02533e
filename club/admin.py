"""The Club in the Django admin (superusers). The thématiques are edited here; the rest is
consultation with each object's history: events, registrations and cercles change through
the services (places, waiting list, e-mails), never by editing a row here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from club.models import (
    Cercle,
    Evenement,
    ImportPresences,
    Inscription,
    MembreCercle,
    MesureAudience,
    Participant,
    Thematique,
)
from pvd.admin import ReadOnlyAdminMixin


class ConsultationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    pass


@admin.register(Thematique)
class ThematiqueAdmin(admin.ModelAdmin):
    list_display = ["libelle", "code", "ordre"]
    ordering = ["ordre"]


@admin.register(Evenement)
class EvenementAdmin(ConsultationAdmin):
    list_display = ["titre", "type", "thematique", "debut", "etat", "capacite"]
    list_filter = ["type", "etat", "thematique"]
    search_fields = ["titre"]
    date_hierarchy = "debut"


@admin.register(Inscription)
class InscriptionAdmin(ConsultationAdmin):
    list_display = ["participant", "evenement", "etat", "source", "present", "demandee_le"]
    list_filter = ["etat", "source", "present"]
    search_fields = ["participant__email", "participant__nom", "evenement__titre"]
    list_select_related = ["participant", "evenement"]


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["email", "prenom", "nom", "commune", "organisation", "origine"]
    list_filter = ["origine"]
    search_fields = ["email", "nom", "commune__nom"]
    list_select_related = ["commune", "organisation"]


@admin.register(Cercle)
class CercleAdmin(ConsultationAdmin):
    list_display = ["titre", "thematique", "debut", "fin"]


@admin.register(MembreCercle)
class MembreCercleAdmin(ConsultationAdmin):
    list_display = ["participant", "commune", "cercle", "depuis", "jusqu_au"]
    list_select_related = ["participant", "commune", "cercle"]


@admin.register(MesureAudience)
class MesureAudienceAdmin(ConsultationAdmin):
    list_display = ["canal", "date", "valeur"]
    list_filter = ["canal"]


@admin.register(ImportPresences)
class ImportPresencesAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["fichier", "evenement", "importe_par", "importe_le", "presents"]
