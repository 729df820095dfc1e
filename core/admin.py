from django.contrib import admin

from core.models import AuditEvent, WorkerHeartbeat


class ViewOnlyAdmin(admin.ModelAdmin):
    """A window onto rows that change only through an app's actions (which lock, audit and
    notify) or never change at all (the database refuses it): staff may look, never write."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker", "seen_at", "request_id"]
    readonly_fields = ["worker", "seen_at", "request_id"]


@admin.register(AuditEvent)
class AuditEventAdmin(ViewOnlyAdmin):
    list_display = ["at", "verb", "actor", "spec_id", "version_number", "target", "request_id"]
    list_filter = ["verb"]
    search_fields = ["verb", "target", "request_id"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
