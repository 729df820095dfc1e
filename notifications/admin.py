from django.contrib import admin

from notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: the outbox changes through notifications.actions (and its admin page) only."""

    list_display = ["created_at", "event", "recipient", "spec", "state", "attempts", "sent_at"]
    list_filter = ["state", "event"]
    search_fields = ["recipient__username", "recipient__email", "subject"]
    raw_id_fields = ["recipient", "actor", "spec", "digest"]
    list_select_related = ["recipient", "spec"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "mode", "updated_at"]
    list_filter = ["event", "mode"]
    raw_id_fields = ["user"]
