"""Errors as RFC 9457 problem details (application/problem+json), one handler per cause.

The same causes answer the same statuses as the pages: 404 for a spec the caller may not see,
403 for one they see but may not act on (or a rule book refusal), 409 for a stale request.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from reviews.actions import ReviewError, StaleForm
from speclint.intake import IntakeError

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "urn:spec-review:problem:"


class Problem(Exception):
    """Raise to answer with a problem document; `extra` adds members (e.g. `errors`)."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str = "",
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or title)
        self.status, self.kind, self.title, self.detail = status, kind, title, detail
        self.headers = headers or {}
        self.extra = extra


def problem_response(problem: Problem) -> HttpResponse:
    body = {
        "type": TYPE_BASE + problem.kind,
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail or problem.title,
        **problem.extra,
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=problem.status, content_type=CONTENT_TYPE
    )
    for name, value in problem.headers.items():
        response[name] = value
    return response


def as_problem(exc: Exception) -> Problem | None:
    """The problem an expected exception stands for; None for a bug (let it be a 500)."""
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, StaleForm):
        return Problem(409, "stale", "Stale request", str(exc))
    if isinstance(exc, ReviewError):
        return Problem(403, "refused", "Refused", str(exc), reasons=list(exc.reasons))
    if isinstance(exc, PermissionDenied):
        return Problem(403, "forbidden", "Forbidden", str(exc) or "You may not do that.")
    if isinstance(exc, Http404):
        return Problem(404, "not-found", "Not found", "No such resource, or you may not see it.")
    if isinstance(exc, IntakeError):
        status = 413 if exc.code == "too-large" else 422
        return Problem(status, f"upload-{exc.code}", "Not a spec we can accept", exc.message)
    if isinstance(exc, ValidationError):
        return Problem(
            422,
            "invalid",
            "Invalid request",
            "Some fields are missing or wrong.",
            errors=[_field_error(error) for error in exc.errors],
        )
    if isinstance(exc, AuthenticationError):
        return Problem(
            401,
            "unauthenticated",
            "Unauthenticated",
            "Send a valid, unexpired, unrevoked token as `Authorization: Bearer <token>`.",
            headers={"WWW-Authenticate": 'Bearer realm="spec-review"'},
        )
    if isinstance(exc, HttpError):
        return Problem(exc.status_code, "http-error", str(exc))
    return None


def _field_error(error: dict[str, Any]) -> dict[str, Any]:
    location = [str(part) for part in error.get("loc", ())]
    # ninja puts the parameter source first ("body", "query", "path"), then for a body the
    # name of the view's parameter (`payload`), which means nothing to a caller.
    if location[:2] == ["body", "payload"]:
        location = ["body", *location[2:]]
    return {
        "field": ".".join(location[1:]) or ".".join(location),
        "in": location[0] if location else "",
        "message": str(error.get("msg", "invalid")),
    }


def install(api: NinjaAPI) -> None:
    def handle(request: HttpRequest, exc: Any) -> HttpResponse:
        problem = as_problem(exc)
        if problem is None:
            raise exc
        return problem_response(problem)

    for cause in (Exception, Http404, HttpError, ValidationError):
        api.add_exception_handler(cause, handle)
