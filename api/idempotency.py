"""`Idempotency-Key` on writes: a retry gets the first answer, never a second write.

The key is claimed with an INSERT before the write runs (a unique constraint per token and
key), so two racing retries cannot both write: the loser sees the claim and answers 409
until the first one has finished. What the first request answered is stored with it;
server errors are not stored, so a retry after one tries again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from api.models import ApiToken, IdempotencyRecord
from api.problems import Problem, as_problem, problem_response

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotency-Replayed"
KEPT_FOR = timedelta(days=1)
_KEPT_HEADERS = ("Location",)


def idempotent(request: HttpRequest, run: Callable[[], HttpResponse]) -> HttpResponse:
    key = request.headers.get(HEADER)
    if key is None:
        return _answer(run)
    if not 1 <= len(key) <= 255 or not key.isprintable():
        raise Problem(
            422,
            "idempotency-key-invalid",
            "Invalid Idempotency-Key",
            "An Idempotency-Key is 1 to 255 printable characters.",
        )
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    fingerprint = _fingerprint(request)
    record = _claim(token, key, fingerprint)
    if record is not None:
        return _replay(record, fingerprint)
    try:
        response = _answer(run)
    except BaseException:
        IdempotencyRecord.objects.filter(token=token, key=key).delete()
        raise
    if response.status_code >= 500:
        IdempotencyRecord.objects.filter(token=token, key=key).delete()
        return response
    IdempotencyRecord.objects.filter(token=token, key=key).update(
        status=response.status_code,
        content_type=response.get("Content-Type", ""),
        body=response.content,
        headers={name: response[name] for name in _KEPT_HEADERS if name in response},
    )
    return response


def forget_old_records(*, now=None) -> int:
    cutoff = (now or timezone.now()) - KEPT_FOR
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _answer(run: Callable[[], HttpResponse]) -> HttpResponse:
    """Run the write; refusals (404, 403, 409, 422…) are answers too, and are kept as such."""
    try:
        return run()
    except Exception as exc:
        problem = as_problem(exc)
        if problem is None:
            raise
        return problem_response(problem)


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.get_full_path(), request.content_type or ""):
        digest.update(part.encode() + b"\n")
    digest.update(request.body)
    return digest.hexdigest()


def _claim(token: ApiToken, key: str, fingerprint: str) -> IdempotencyRecord | None:
    """None when this request now owns the key; else the record of whoever had it first."""
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.create(token=token, key=key, fingerprint=fingerprint)
        return None
    except IntegrityError:
        return IdempotencyRecord.objects.get(token=token, key=key)


def _replay(record: IdempotencyRecord, fingerprint: str) -> HttpResponse:
    if record.fingerprint != fingerprint:
        raise Problem(
            422,
            "idempotency-key-reused",
            "Idempotency-Key reused",
            "This Idempotency-Key was already used for a different request; "
            "use a new key for a new request.",
        )
    if record.status is None:
        raise Problem(
            409,
            "idempotency-key-in-flight",
            "Request in progress",
            "A request with this Idempotency-Key is still being processed; retry shortly.",
            headers={"Retry-After": "1"},
        )
    response = HttpResponse(bytes(record.body), status=record.status)
    response["Content-Type"] = record.content_type
    for name, value in record.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response
