"""Per-user rate limits that hold across web workers and machines: a counter in PostgreSQL.

A fixed window per (scope, user): one upsert per checked request, atomic under concurrency,
and shared by every gunicorn worker and node (a cache in process memory would give each
worker its own allowance).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape


@dataclass(frozen=True)
class Limit:
    scope: str
    requests: int
    per_seconds: int


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window resets (0 when allowed)


_COUNT = """
INSERT INTO core_ratelimitwindow (scope, subject, window_start, hits)
VALUES (%s, %s, %s, 1)
ON CONFLICT (scope, subject, window_start) DO UPDATE SET hits = core_ratelimitwindow.hits + 1
RETURNING hits
"""

_FORGET = "DELETE FROM core_ratelimitwindow WHERE window_start < %s"


def hit(limit: Limit, subject: str, *, now: float | None = None) -> Verdict:
    """Count one request of `subject` against `limit`; refused past its allowance."""
    now = time.time() if now is None else now
    window_start = math.floor(now / limit.per_seconds) * limit.per_seconds
    with connection.cursor() as cursor:
        cursor.execute(_COUNT, [limit.scope, subject, window_start])
        (hits,) = cursor.fetchone()
    if hits <= limit.requests:
        return Verdict(True, 0)
    return Verdict(False, max(1, math.ceil(window_start + limit.per_seconds - now)))


def forget_old_windows(*, older_than_seconds: int = 3600) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_FORGET, [math.floor(time.time()) - older_than_seconds])
        return cursor.rowcount


def too_many_requests(request: HttpRequest, verdict: Verdict, what: str) -> HttpResponse:
    """429 with Retry-After; htmx gets the notice in the page's notice area."""
    message = f"Too many {what} in a short time. Try again in {verdict.retry_after} s."
    response = HttpResponse(
        f'<p class="message message-error" role="alert">{escape(message)}</p>', status=429
    )
    response["Retry-After"] = str(verdict.retry_after)
    if request.headers.get("HX-Request") == "true":
        response["HX-Retarget"] = "#htmx-notices"
        response["HX-Reswap"] = "innerHTML"
    return response
