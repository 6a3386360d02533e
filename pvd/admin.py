"""Admin pieces shared by every app (no app imports here), and the workflow log's admin."""

from django.contrib import admin

from pvd.models import TransitionLog


class ReadOnlyAdminMixin:
    """For what the admin shows but must not change: reference data imported from official
    sources, and objects whose changes go through services (their rules, their log)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "content_type", "object_id", "libelle", "source", "cible", "user"]
    list_filter = ["content_type", "transition"]
    search_fields = ["user__email", "commentaire"]
    date_hierarchy = "at"
