from django.contrib import admin

from pvd.models import TransitionLog


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    """The workflow log, for consultation: it is written by the services only."""

    list_display = ["at", "content_type", "object_id", "libelle", "source", "cible", "user"]
    list_filter = ["content_type", "transition"]
    search_fields = ["user__email", "commentaire"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
