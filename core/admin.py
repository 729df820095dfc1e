from django.contrib import admin

from core.models import AuditEvent, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker", "seen_at", "request_id"]
    readonly_fields = ["worker", "seen_at", "request_id"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "verb", "actor", "spec_id", "version_number", "target", "request_id"]
    list_filter = ["verb"]
    search_fields = ["verb", "target", "request_id"]
    date_hierarchy = "at"

    # Read-only in the admin too: the database refuses changes anyway.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
