from django.contrib import admin

from core.admin import ViewOnlyAdmin
from specs.models import Profile, Spec, SpecVersion


@admin.register(Profile)
class ProfileAdmin(ViewOnlyAdmin):
    """Templates are added and checked at /profiles/new/, which shows what was inferred."""

    list_display = ["title", "name", "builtin", "created_at"]
    list_filter = ["builtin"]
    search_fields = ["name", "title"]


@admin.register(Spec)
class SpecAdmin(ViewOnlyAdmin):
    """Specs change through specs.actions and the review workflow, never by a form here."""

    list_display = ["title", "slug", "state", "profile", "author", "current_version", "updated_at"]
    list_filter = ["state", "profile"]
    search_fields = ["title", "slug", "author__username"]
    list_select_related = ["profile", "author", "current_version__spec"]
    date_hierarchy = "updated_at"


@admin.register(SpecVersion)
class SpecVersionAdmin(ViewOnlyAdmin):
    """Immutable uploads (a trigger refuses edits to their source)."""

    list_display = [
        "__str__",
        "uploaded_by",
        "uploaded_at",
        "size_bytes",
        "render_state",
        "lint_errors",
        "lint_warnings",
    ]
    list_filter = ["render_state", "spec__profile"]
    search_fields = ["spec__slug", "spec__title", "sha256", "uploaded_by__username"]
    list_select_related = ["spec", "uploaded_by"]
    date_hierarchy = "uploaded_at"

    def get_queryset(self, request):
        # The list never needs the (possibly megabyte) source, bytes or rendered HTML.
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            queryset = queryset.defer(
                "original_bytes", "source", "rendered_html", "lint_findings", "toc", "outline"
            )
        return queryset
