"""Model rows to API schemas, and JSON answers that an idempotent write can store as sent."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Schema

from api.schemas import LintCountsOut, SpecOut, VersionOut
from specs.models import Spec, SpecVersion

# Never loaded for listings: each may be a megabyte.
HEAVY_VERSION_FIELDS = (
    "original_bytes",
    "source",
    "rendered_html",
    "toc",
    "outline",
    "front_matter",
    "lint_findings",
    "structures",
)


def specs_for_listing(queryset):
    return queryset.select_related("profile", "author", "current_version__uploaded_by").defer(
        *(f"current_version__{name}" for name in HEAVY_VERSION_FIELDS)
    )


def version_out(version: SpecVersion) -> VersionOut:
    return VersionOut(
        number=version.number,
        sha256=version.sha256,
        size_bytes=version.size_bytes,
        uploaded_by=version.uploaded_by.username,
        uploaded_at=version.uploaded_at,
        note=version.note,
        filename=version.original_filename,
        render_state=version.render_state,
        lint=LintCountsOut(
            profile=version.lint_profile,
            errors=version.lint_errors,
            warnings=version.lint_warnings,
            infos=version.lint_infos,
        ),
    )


def spec_out(spec: Spec) -> SpecOut:
    return SpecOut(
        slug=spec.slug,
        title=spec.title,
        profile=spec.profile.name,
        state=spec.state,  # type: ignore[arg-type]  # a SpecState value
        author=spec.author.username,
        row_version=spec.row_version,
        created_at=spec.created_at,
        updated_at=spec.updated_at,
        current_version=version_out(spec.current_version) if spec.current_version else None,
    )


def json_response(payload: Schema, *, status: int = 200, location: str = "") -> HttpResponse:
    response = HttpResponse(
        payload.model_dump_json(), status=status, content_type="application/json"
    )
    if location:
        response["Location"] = location
    return response
