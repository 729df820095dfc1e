"""Specs and versions: list and read what the token's owner may see, create, upload, lint."""

from __future__ import annotations

import base64
import binascii
import json

from django.conf import settings
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from ninja import Path, Query, Router

from api.auth import require_scope
from api.idempotency import idempotent
from api.models import Scope
from api.problems import Problem
from api.schemas import (
    SLUG_PATTERN,
    LintDocument,
    ProblemOut,
    SpecCreateIn,
    SpecOut,
    SpecPageOut,
    SpecStateName,
    UploadOut,
    VersionOut,
)
from speclint import Finding, LintResult
from speclint.intake import decode_spec_bytes
from speclint.output import to_json_data, to_sarif_data
from specs import actions, permissions
from specs.models import Profile, Spec, SpecVersion
from specs.profiles import detect_profile

from .serialize import json_response, spec_out, specs_for_listing, version_out
from .uploads import count_upload, field_problem, refuse_oversize_body, upload_body

router = Router(tags=["specs"])

ERRORS: dict[int, type[ProblemOut]] = dict.fromkeys(
    (401, 403, 404, 409, 413, 415, 422, 429), ProblemOut
)
Slug = Path(..., pattern=SLUG_PATTERN, max_length=80)
Number = Path(..., ge=1, le=2**31 - 1)
UPLOADERS_ONLY = "Only the author and people they allow may upload versions."


@router.get("/specs", response={200: SpecPageOut, **ERRORS})
def list_specs(
    request: HttpRequest,
    state: SpecStateName | None = None,
    profile: str | None = Query(None, pattern=SLUG_PATTERN, max_length=64),
    cursor: str | None = Query(None, max_length=40, description="from `next_cursor`"),
    limit: int = Query(50, ge=1, le=100),
):
    """Specs the token's owner may see, newest first, a page at a time (keyset cursor)."""
    specs = permissions.visible_specs(request.user)
    if state:
        specs = specs.filter(state=state)
    if profile:
        specs = specs.filter(profile__name=profile)
    if cursor:
        specs = specs.filter(pk__lt=_decode_cursor(cursor))
    page = list(specs_for_listing(specs).order_by("-pk")[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return SpecPageOut(
        items=[spec_out(spec) for spec in page],
        next_cursor=_encode_cursor(page[-1].pk) if more else None,
    )


@router.get("/specs/{slug}", response={200: SpecOut, **ERRORS})
def read_spec(request: HttpRequest, slug: str = Slug):
    spec, _ = permissions.get_spec_for(request.user, slug, queryset=specs_for_listing(Spec.objects))
    return spec_out(spec)


@router.post("/specs", response={201: UploadOut, **ERRORS})
def create_spec(request: HttpRequest, payload: SpecCreateIn):
    """A new spec with its first version; the caller becomes its author."""
    require_scope(request, Scope.UPLOAD)

    def run() -> HttpResponse:
        count_upload(request)
        data = payload.content.encode("utf-8", "surrogatepass")
        text = decode_spec_bytes(data, max_bytes=settings.SPEC_MAX_UPLOAD_BYTES)
        profile = _profile(payload.profile, text.text)
        slug = payload.slug or slugify(payload.title)[:80]
        if not slug:
            raise field_problem("slug", "Give the spec a title or an address.")
        try:
            spec = actions.create_spec_with_version(
                title=payload.title,
                slug=slug,
                profile=profile,
                author=request.user,
                data=data,
                note=payload.note,
            )
        except IntegrityError:
            raise Problem(
                409,
                "slug-taken",
                "Address taken",
                f"The address “{slug}” is taken; choose another.",
            ) from None
        return _uploaded(spec, spec.current_version_id, created=True, status=201)

    return idempotent(request, run)


@router.post(
    "/specs/{slug}/versions",
    response={200: UploadOut, 201: UploadOut, **ERRORS},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/markdown": {"schema": {"type": "string"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "note": {"type": "string", "maxLength": 500},
                        },
                    }
                },
            },
        }
    },
)
def upload_version(
    request: HttpRequest,
    slug: str = Slug,
    note: str = Query("", max_length=500, description="change note (raw bodies)"),
    filename: str = Query("", max_length=255, pattern=r"^[^\x00]*$"),
):
    """Upload the next version: the raw Markdown as the body, or a multipart `file` (+ `note`).

    201 with the new version; 200 with the latest one when the content repeats it.
    """
    require_scope(request, Scope.UPLOAD)
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require(can.can_upload, UPLOADERS_ONLY)
    refuse_oversize_body(request)

    def run() -> HttpResponse:
        count_upload(request)
        data, name, change_note = upload_body(request, filename, note)
        outcome = actions.upload_version(
            spec=spec, data=data, uploaded_by=request.user, note=change_note, filename=name
        )
        status = 201 if outcome.created else 200
        return _uploaded(spec, outcome.version.pk, created=outcome.created, status=status)

    return idempotent(request, run)


@router.get("/specs/{slug}/versions/{number}", response={200: VersionOut, **ERRORS})
def read_version(request: HttpRequest, slug: str = Slug, number: int = Number):
    return version_out(_version(request, slug, number))


@router.get("/specs/{slug}/versions/{number}/lint", response={200: LintDocument, **ERRORS})
def version_lint(request: HttpRequest, slug: str = Slug, number: int = Number):
    """The version's findings in the linter contract's JSON (as `speclint --format json`)."""
    return to_json_data([_lint_result(_version(request, slug, number))])


@router.get("/specs/{slug}/versions/{number}/lint.sarif", response={200: LintDocument, **ERRORS})
def version_lint_sarif(request: HttpRequest, slug: str = Slug, number: int = Number):
    """The version's findings as SARIF 2.1.0 (as `speclint --format sarif`)."""
    result = _lint_result(_version(request, slug, number))
    body = json.dumps(to_sarif_data([result]), ensure_ascii=False)
    return HttpResponse(body, content_type="application/sarif+json")


def _version(request: HttpRequest, slug: str, number: int) -> SpecVersion:
    spec, _ = permissions.get_spec_for(request.user, slug)
    return get_object_or_404(
        SpecVersion.objects.select_related("uploaded_by"), spec=spec, number=number
    )


def _lint_result(version: SpecVersion) -> LintResult:
    if version.lint_findings is None:
        raise Problem(
            409,
            "lint-pending",
            "Lint pending",
            f"Version {version.number} is still being analysed; try again shortly.",
            headers={"Retry-After": "5"},
        )
    path = version.original_filename or f"{version.spec.slug}.md"
    findings = tuple(Finding(**finding) for finding in version.lint_findings)
    return LintResult(path=path, profile=version.lint_profile, findings=findings)


def _profile(name: str, text: str) -> Profile:
    if name == "detect":
        return detect_profile(text)
    profile = Profile.objects.filter(name=name).first()
    if profile is None:
        raise field_problem("profile", f"There is no template named “{name}”.")
    return profile


def _uploaded(spec: Spec, version_pk, *, created: bool, status: int) -> HttpResponse:
    fresh = specs_for_listing(Spec.objects).get(pk=spec.pk)
    version = SpecVersion.objects.select_related("uploaded_by").get(pk=version_pk)
    body = UploadOut(created=created, spec=spec_out(fresh), version=version_out(version))
    location = f"/api/v1/specs/{spec.slug}/versions/{version.number}"
    return json_response(body, status=status, location=location)


def _encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"id:{pk}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = raw.partition(":")
        if kind != "id" or not value.isdigit() or len(value) > 18:
            raise ValueError(raw)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Problem(
            422,
            "invalid",
            "Invalid request",
            "That cursor is not one this API handed out.",
            errors=[{"field": "cursor", "in": "query", "message": "invalid cursor"}],
        ) from None
