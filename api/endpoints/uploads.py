"""Reading an upload from an API request: raw Markdown or multipart, within the limits.

The bytes then go through the same intake as the browser's (speclint.intake), so both refuse the
same files with the same words; the per-person upload allowance is the browser's too.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from api.problems import Problem
from core import ratelimit
from speclint.intake import refuse_oversize


def field_problem(field: str, message: str) -> Problem:
    return Problem(
        422,
        "invalid",
        "Invalid request",
        message,
        errors=[{"field": field, "in": "body", "message": message}],
    )


def count_upload(request: HttpRequest) -> None:
    """API uploads share the browser's per-person upload allowance (analysis is the cost)."""
    limit = ratelimit.Limit("upload", *settings.UPLOAD_RATE_LIMIT)  # as specs.views counts
    verdict = ratelimit.hit(limit, str(request.user.pk))
    if not verdict.allowed:
        raise Problem(
            429,
            "rate-limited",
            "Too many uploads",
            f"Too many uploads in a short time. Try again in {verdict.retry_after} s.",
            headers={"Retry-After": str(verdict.retry_after)},
        )


# Room for the multipart envelope (boundaries, part headers, the note) around the file.
_MULTIPART_SLACK = 64 * 1024


def refuse_oversize_body(request: HttpRequest) -> None:
    """Refuse by Content-Length before anything reads the body into memory."""
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    limit = settings.SPEC_MAX_UPLOAD_BYTES
    if request.content_type == "multipart/form-data":
        if length > limit + _MULTIPART_SLACK:
            refuse_oversize(length - _MULTIPART_SLACK, limit)
    else:
        refuse_oversize(length, limit)


def upload_body(request: HttpRequest, filename: str, note: str) -> tuple[bytes, str, str]:
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise field_problem("file", "Send the spec as the multipart field `file`.")
        refuse_oversize(upload.size or 0, settings.SPEC_MAX_UPLOAD_BYTES)
        form_note = request.POST.get("note", note)
        if len(form_note) > 500 or "\x00" in form_note:
            raise field_problem("note", "A note is at most 500 characters, without NUL.")
        return upload.read(), upload.name or filename, form_note
    if request.content_type not in {"text/markdown", "text/plain", "text/x-markdown"}:
        raise Problem(
            415,
            "unsupported-media-type",
            "Unsupported media type",
            "Send the Markdown as `Content-Type: text/markdown`, or as multipart/form-data.",
        )
    return request.body, filename, note
