"""The journey in the Django admin (superusers): consultation only, with each object's history.

States change through the services (their rules, their log), never by editing a row here;
the orientations, a referential, stay editable."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from conventions.models import (
    Avenant,
    Candidature,
    ConventionAdhesion,
    ConventionCadre,
    DigestEcheances,
    ImportProgramme,
    Orientation,
    OrtHorsCadre,
)
from pvd.admin import ReadOnlyAdminMixin


class ConsultationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    pass


@admin.register(Candidature)
class CandidatureAdmin(ConsultationAdmin):
    list_display = ["__str__", "etat", "deposee_le", "decidee_le", "import_programme"]
    list_filter = ["etat", "avis"]
    search_fields = ["communes__nom", "communes__code"]


@admin.register(ConventionAdhesion)
class ConventionAdhesionAdmin(ConsultationAdmin):
    list_display = ["__str__", "etat", "signee_le", "presidence_comite", "import_programme"]
    list_filter = ["etat", "presidence_comite", "cosignataire_conseil_departemental"]
    search_fields = ["communes__nom", "communes__code"]


@admin.register(ConventionCadre)
class ConventionCadreAdmin(ConsultationAdmin):
    list_display = ["__str__", "etat", "signee_le", "adhesion", "import_programme"]
    list_filter = ["etat"]
    search_fields = ["communes__nom", "communes__code"]


@admin.register(Avenant)
class AvenantAdmin(ConsultationAdmin):
    list_display = ["__str__", "etat", "signee_le"]
    list_filter = ["etat"]


@admin.register(OrtHorsCadre)
class OrtHorsCadreAdmin(ConsultationAdmin):
    list_display = ["commune", "signee_le", "origine"]
    list_filter = ["origine"]
    search_fields = ["commune__nom", "commune__code"]


@admin.register(ImportProgramme)
class ImportProgrammeAdmin(ConsultationAdmin):
    list_display = ["fichier", "format", "importe_le", "empreinte"]


@admin.register(DigestEcheances)
class DigestEcheancesAdmin(ConsultationAdmin):
    list_display = ["user", "envoye_le"]
    list_filter = ["envoye_le"]


@admin.register(Orientation)
class OrientationAdmin(admin.ModelAdmin):
    list_display = ["libelle", "code", "ordre"]
    list_editable = ["ordre"]
