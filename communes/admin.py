from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from communes.models import (
    EPCI,
    CollectiviteOutreMer,
    Commune,
    Departement,
    Habilitation,
    ImportTerritoires,
    Invitation,
    Organisation,
    Region,
    User,
)
from pvd.admin import ReadOnlyAdminMixin


class ReferentielAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Territories come from the official COG through `import_territoires`: read-only here."""


@admin.register(Region)
class RegionAdmin(ReferentielAdmin):
    list_display = ["code", "nom", "obsolete"]
    search_fields = ["code", "nom"]


@admin.register(Departement)
class DepartementAdmin(ReferentielAdmin):
    list_display = ["code", "nom", "region", "obsolete"]
    list_select_related = ["region"]
    list_filter = ["region"]
    search_fields = ["code", "nom"]


@admin.register(CollectiviteOutreMer)
class CollectiviteOutreMerAdmin(ReferentielAdmin):
    list_display = ["code", "nom", "obsolete"]


@admin.register(EPCI)
class EPCIAdmin(ReferentielAdmin):
    list_display = ["siren", "nom", "type", "population", "obsolete"]
    list_filter = ["type", "obsolete"]
    search_fields = ["siren", "nom"]


@admin.register(Commune)
class CommuneAdmin(ReferentielAdmin):
    list_display = ["code", "nom", "departement", "epci", "population", "obsolete"]
    list_select_related = ["departement", "epci"]
    list_filter = ["obsolete", "departement__region"]
    search_fields = ["code", "nom", "nom_recherche"]


@admin.register(ImportTerritoires)
class ImportTerritoiresAdmin(ReferentielAdmin):
    list_display = ["termine_le", "version", "empreinte"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["nom", "sigle", "categorie"]
    list_filter = ["categorie"]
    search_fields = ["nom", "sigle"]


class HabilitationInline(admin.TabularInline):
    model = Habilitation
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["region", "departement", "epci", "commune", "organisation"]
    readonly_fields = ["created_at", "created_by"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "habilitations__role"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [HabilitationInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        (
            "Droits techniques",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["habilitation", "invited_by", "created_at", "accepted_at"]
    list_select_related = ["habilitation__user", "invited_by"]
    search_fields = ["habilitation__user__email", "invited_by__email"]
    raw_id_fields = ["habilitation", "invited_by"]
