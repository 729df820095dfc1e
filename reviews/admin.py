"""Review records in Django's admin: every one is written only through reviews.actions (which
lock the spec, re-check the rules and audit), so the admin shows them and never writes them."""

from django.contrib import admin

from core.admin import ViewOnlyAdmin
from reviews.models import (
    AreaSections,
    Comment,
    DecisionEntry,
    GateCheck,
    LintOverride,
    RaciAssignment,
    SignOff,
)


@admin.register(SignOff)
class SignOffAdmin(ViewOnlyAdmin):
    list_display = ["version", "area", "role", "user", "decision", "recorded_at", "superseded_at"]
    list_filter = ["decision", "role"]
    search_fields = ["version__spec__slug", "area", "user__username"]
    list_select_related = ["version__spec", "user"]
    date_hierarchy = "recorded_at"


@admin.register(DecisionEntry)
class DecisionEntryAdmin(ViewOnlyAdmin):
    list_display = ["date", "spec", "version", "request", "decision", "recorded_by"]
    list_filter = ["decision"]
    search_fields = ["spec__slug", "request", "source", "rationale"]
    list_select_related = ["spec", "version__spec", "recorded_by"]


@admin.register(GateCheck)
class GateCheckAdmin(ViewOnlyAdmin):
    list_display = ["version", "position", "item", "state", "by", "at", "carried_from"]
    list_filter = ["state"]
    search_fields = ["version__spec__slug", "item"]
    list_select_related = ["version__spec", "by"]


@admin.register(LintOverride)
class LintOverrideAdmin(ViewOnlyAdmin):
    list_display = ["version", "errors_at_override", "recorded_by", "recorded_at"]
    search_fields = ["version__spec__slug", "reason"]
    list_select_related = ["version__spec", "recorded_by"]


@admin.register(Comment)
class CommentAdmin(ViewOnlyAdmin):
    list_display = ["created_at", "spec", "version", "author", "state", "blocking", "section"]
    list_filter = ["state", "blocking"]
    search_fields = ["spec__slug", "body", "author__username"]
    list_select_related = ["spec", "version__spec", "author"]


@admin.register(RaciAssignment)
class RaciAssignmentAdmin(ViewOnlyAdmin):
    list_display = ["spec", "area", "role", "user", "unmatched_name", "from_version"]
    list_filter = ["role"]
    search_fields = ["spec__slug", "area", "user__username", "unmatched_name"]
    list_select_related = ["spec", "user"]


@admin.register(AreaSections)
class AreaSectionsAdmin(ViewOnlyAdmin):
    list_display = ["spec", "area", "set_by", "set_at"]
    search_fields = ["spec__slug", "area"]
    list_select_related = ["spec", "set_by"]
