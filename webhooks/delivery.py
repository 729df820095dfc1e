"""Sending webhook deliveries: claim a due row, POST it signed, record the outcome.

At least once, with a stable `webhook-id`: the claim commits before the POST, so a worker that
dies mid-send leaves the row under a lease (retried when it lapses), never lost.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from webhooks import signing
from webhooks.models import Delivery, DeliveryState

MAX_ATTEMPTS = 10
TIMEOUT_SECONDS = 5
LEASE = timedelta(seconds=60)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … capped at an hour: about 5 hours before giving up."""
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def deliver_due(*, now: datetime | None = None, limit: int = 100) -> int:
    """Send every due delivery (the sweep, and tests with their own clock); how many went."""
    now = now or timezone.now()
    due = (
        Delivery.objects.filter(
            Q(state=DeliveryState.PENDING, next_attempt_at__lte=now)
            | Q(state=DeliveryState.SENDING, claimed_until__lt=now)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )  # in the order things happened
    return sum(deliver(pk, now=now) for pk in list(due))


def deliver(delivery_id: int, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    row = _claim(delivery_id, now)
    if row is None:
        return False
    body = json.dumps({"id": str(row.event_id), **row.payload}, ensure_ascii=False).encode()
    timestamp = int(now.timestamp())
    request = urllib.request.Request(  # noqa: S310  # http(s) only: the form checks the scheme
        row.subscription.url,
        data=body,
        headers=signing.headers(row.subscription.secret, str(row.event_id), timestamp, body),
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            status, error = response.status, ""
    except urllib.error.HTTPError as failure:
        status, error = failure.code, f"HTTP {failure.code}"
    except (urllib.error.URLError, OSError) as failure:
        status, error = None, str(getattr(failure, "reason", failure))[:500]
    return _finish(row, now, status, error)


def _claim(delivery_id: int, now: datetime) -> Delivery | None:
    with transaction.atomic():
        row = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription")
            .filter(pk=delivery_id)
            .filter(
                Q(state=DeliveryState.PENDING, next_attempt_at__lte=now)
                | Q(state=DeliveryState.SENDING, claimed_until__lt=now)
            )
            .first()
        )
        if row is None or not row.subscription.active:
            return None
        row.state, row.claim, row.claimed_until = DeliveryState.SENDING, uuid.uuid4(), now + LEASE
        row.attempts += 1
        row.save(update_fields=["state", "claim", "claimed_until", "attempts"])
    return row


def _finish(row: Delivery, now: datetime, status: int | None, error: str) -> bool:
    ok = status is not None and 200 <= status < 300
    if ok:
        fields = {"state": DeliveryState.DELIVERED, "delivered_at": timezone.now()}
    elif row.attempts >= MAX_ATTEMPTS:
        fields = {"state": DeliveryState.FAILED}
    else:
        fields = {"state": DeliveryState.PENDING, "next_attempt_at": now + backoff(row.attempts)}
    Delivery.objects.filter(pk=row.pk, claim=row.claim).update(
        **fields, last_status=status, last_error=error, claim=None, claimed_until=None
    )
    return ok
