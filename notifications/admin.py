from django.contrib import admin

from notifications.models import (
    DeliverySchedule,
    Notification,
    NotificationPreference,
    ReminderSent,
)


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


@admin.register(DeliverySchedule)
class DeliveryScheduleAdmin(admin.ModelAdmin):
    list_display = ["user", "digest_hour", "time_zone", "last_digest_on"]
    raw_id_fields = ["user"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    """Read-only: the record the reminder job counts; changing it would repeat or skip mail."""

    list_display = ["local_date", "event", "recipient", "signer", "spec", "version_number", "area"]
    list_filter = ["event"]
    raw_id_fields = ["recipient", "signer", "spec"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
