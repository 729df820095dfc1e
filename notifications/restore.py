"""After a database restore: unsent e-mail from the backup waits for a person, never re-sends.

A backup taken with e-mail pending, restored after that e-mail went out, would send it again
(the outbox says "pending", the recipients already have it). `hold_after_restore` moves every
unsent row written before the restore point to `held`; staff see them on the outbox page and
retry the ones that did not go out.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from core.audit import record_event
from notifications.models import Notification, State

UNSENT = (State.PENDING, State.SENDING, State.DIGEST_PENDING)


@transaction.atomic
def hold_after_restore(*, restore_point: datetime, by=None) -> int:
    """Hold unsent rows created at or before `restore_point`; how many were held."""
    rows = Notification.objects.select_for_update().filter(
        state__in=UNSENT, created_at__lte=restore_point
    )
    held = list(rows.values_list("pk", flat=True))
    Notification.objects.filter(pk__in=held).update(
        state=State.HELD,
        claim=None,
        claimed_until=None,
        last_error=(
            "held after a database restore: it may have been sent after the backup was taken. "
            "Retry only if the recipient did not get it."
        ),
    )
    record_event(
        "notifications.held_after_restore",
        actor=by,
        target="outbox",
        data={"restore_point": restore_point.isoformat(), "held": len(held)},
    )
    return len(held)
