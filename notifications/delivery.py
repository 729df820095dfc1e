"""The steps of one delivery, each its own short transaction (docs/decisions/0004).

The claim commits before SMTP begins, so a worker that dies mid-send leaves its row in `sending`
under a lease, never in `pending`; outcomes are written only by the holder of the claim.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone

from core.outage import is_database_outage
from notifications.emails import message_id
from notifications.events import Mode
from notifications.models import Notification, NotificationPreference, State
from specs import permissions

logger = logging.getLogger(__name__)

# Settings with defaults; each can be set in config/settings.py.
MAX_ATTEMPTS = "NOTIFICATIONS_MAX_ATTEMPTS"  # 8: ~4 hours of retries with the defaults below
RETRY_BASE_SECONDS = "NOTIFICATIONS_RETRY_BASE_SECONDS"  # 60, doubled per attempt
RETRY_MAX_SECONDS = "NOTIFICATIONS_RETRY_MAX_SECONDS"  # 3600
LEASE_SECONDS = "NOTIFICATIONS_SEND_LEASE_SECONDS"  # past CELERY_TASK_TIME_LIMIT, see lease_seconds
# How long a worker keeps trying to record a verdict while PostgreSQL is unreachable (30 s):
# well inside the task's soft time limit, so it gives up before Celery kills it.
OUTCOME_WRITE_SECONDS = "NOTIFICATIONS_OUTCOME_WRITE_SECONDS"

LOST_CLAIM_ERROR = (
    "delivery unknown: no verdict was recorded before the lease ran out (the worker was lost "
    "mid-send, or could not reach the database to record what the mail server said). Not "
    "re-sent automatically (at most once): search the mail server's log for the Message-ID "
    "before retrying."
)


@transaction.atomic
def claim(notification_id: int) -> Notification | str:
    now = timezone.now()
    row = (
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient", "spec", "actor")
        .filter(pk=notification_id)
        .first()
    )
    if row is None:
        return "busy"  # locked by another worker this instant (or gone)
    if row.state != State.PENDING or (row.next_attempt_at and row.next_attempt_at > now):
        return f"not due ({row.state})"
    if not _still_wanted(row):
        row.state = State.SKIPPED
        row.save(update_fields=["state"])
        return "skipped"
    row.state, row.attempts, row.claim = State.SENDING, row.attempts + 1, uuid.uuid4()
    row.claimed_until = now + timedelta(seconds=lease_seconds())
    row.message_id = message_id(row)
    row.save(update_fields=["state", "attempts", "claim", "claimed_until", "message_id"])
    return row


def finish(row: Notification, state: State, *, reply: str = "", error: str = "") -> None:
    """Record the verdict; the mail server's reply (`reply`) is kept as the evidence."""
    # Logged before the write: if the database stays away, the log still holds the evidence.
    log = logger.info if state == State.SENT else logger.warning
    log(
        f"notification {state}",
        extra={"notification": row.pk, "message_id": row.message_id, "reply": reply or error},
    )
    persist_through_outage(lambda: _write_verdict(row, state, reply=reply, error=error))


def _write_verdict(row: Notification, state: State, *, reply: str, error: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        # Matching on our claim: a sweep may have declared it lost, but our verdict is the truth.
        done = Notification.objects.filter(pk=row.pk, claim=row.claim).update(
            state=state,
            last_error=error[:2000],
            smtp_reply=(reply or error)[:2000],
            sent_at=now if state == State.SENT else None,
            claimed_until=None,
        )
        if done and state == State.SENT and row.is_digest:
            row.items.update(state=State.SENT, sent_at=now)


def persist_through_outage(write: Callable[[], None]) -> None:
    """Run a write, retrying while PostgreSQL is unreachable (a restart takes seconds).

    A verdict that cannot be written leaves the row `sending`; the sweep later settles it as
    "delivery unknown", so giving up here is honest, never a duplicate.
    """
    deadline = time.monotonic() + float(_setting(OUTCOME_WRITE_SECONDS, 30))
    delay = 0.25
    while True:
        try:
            write()
            return
        except DatabaseError as exc:
            if not is_database_outage(exc) or time.monotonic() + delay > deadline:
                raise
            logger.warning("database unreachable, retrying the write", extra={"error": str(exc)})
        # Drop the broken connection so that the next try opens a fresh one.
        connection.close()
        close_old_connections()
        time.sleep(delay)
        delay = min(delay * 2, 4)


def postpone(notification_id: int, until: datetime) -> None:
    """Due but the mail server is paused: wait for the pause to end, no attempt counted."""
    Notification.objects.filter(
        pk=notification_id, state=State.PENDING, next_attempt_at__lt=until
    ).update(next_attempt_at=until)


def retry_later(row: Notification, error: str) -> str:
    if row.attempts >= _setting(MAX_ATTEMPTS, 8):
        finish(row, State.FAILED, error=f"gave up after {row.attempts} attempts: {error}")
        return "failed"
    Notification.objects.filter(pk=row.pk, claim=row.claim).update(
        state=State.PENDING,
        next_attempt_at=timezone.now() + backoff(row.attempts),
        last_error=error[:2000],
        claim=None,
        claimed_until=None,
    )
    return "retry"


def backoff(attempts: int) -> timedelta:
    """Exponential, capped, with up to 10% jitter so a returning server is not stampeded."""
    base = _setting(RETRY_BASE_SECONDS, 60)
    delay = min(base * 2 ** max(attempts - 1, 0), _setting(RETRY_MAX_SECONDS, 3600))
    return timedelta(seconds=delay * (1 + random.uniform(0, 0.1)))  # noqa: S311 - not crypto


def lease_seconds() -> float:
    # Longer than Celery's hard time limit: once it has passed, no live worker can still be in
    # that SMTP conversation.
    default = getattr(settings, "CELERY_TASK_TIME_LIMIT", 90) + 30
    return float(_setting(LEASE_SECONDS, default))


def _still_wanted(row: Notification) -> bool:
    person = row.recipient
    if not (person.is_active and person.email):
        return False
    if row.is_digest:
        return True  # its items were checked when it was bundled
    # An e-mail shows the spec as much as its page does: someone who lost access gets nothing.
    if row.spec is not None and not permissions.abilities(person, row.spec).can_view:
        return False
    return NotificationPreference.objects.modes_for([person.pk], row.event)[person.pk] != Mode.OFF


def give_up_on_lost_claims(now: datetime) -> list[int]:
    """Rows whose verdict never came (worker lost, database away): unknown, never re-sent."""
    lost = list(
        Notification.objects.filter(state=State.SENDING, claimed_until__lt=now).values_list(
            "pk", flat=True
        )
    )
    if lost:
        # Keep `claim`: if the worker was only slow, its own verdict still lands (see finish).
        Notification.objects.filter(pk__in=lost, state=State.SENDING, claimed_until__lt=now).update(
            state=State.UNKNOWN, last_error=LOST_CLAIM_ERROR, claimed_until=None
        )
        logger.warning("notifications lost mid-send, delivery unknown", extra={"ids": lost})
    return lost


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)
