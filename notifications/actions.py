"""Writes that matter for notifications: the outbox, its delivery, digests and preferences.

Other apps call `notify` inside the transaction of the change that caused it. `deliver` claims a
row under a lease before it talks SMTP (the steps are in notifications.delivery), so each
notification is sent at most once; the trade-off is in docs/decisions/0004-notification-outbox.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from core.audit import record_event
from core.queueing import publish, publish_on_commit
from notifications import circuit, delivery, emails, scheduling, smtp
from notifications.events import DIGEST, Event, Mode, headline
from notifications.models import DeliverySchedule, Notification, NotificationPreference, State
from specs import permissions

SWEEP_GRACE_SECONDS = "NOTIFICATIONS_SWEEP_GRACE_SECONDS"  # 30: leave fresh rows to their task
SWEEP_BATCH = 500


class NotificationError(ValueError):
    """An action refused for a reason the person can act on (shown to them as is)."""


@transaction.atomic
def notify(
    *,
    event: str,
    spec,
    version_number: int | None,
    actor,
    recipients: Iterable[Any],
    context: dict[str, Any] | None = None,
) -> list[Notification]:
    """Write the outbox rows for one event; call it inside the transaction of the change.

    Never the actor, nobody inactive or without an address, nobody who switched the event off.
    `context` (JSON) is shown in the e-mail; keys with a meaning: `section` (heading anchor),
    `section_title`, `diff_from` (version number), `excerpt`, `area`, `decision`, `due_date`.
    Repeating the same call (same event, spec, version, person and context) writes nothing new.
    """
    event = Event(event)
    details = json.loads(json.dumps(context or {}, cls=DjangoJSONEncoder))
    people = _addressable(recipients, actor)
    modes = NotificationPreference.objects.modes_for((p.pk for p in people), event)
    actor_name = getattr(actor, "display_name", "") if getattr(actor, "pk", None) else ""
    subject = headline(event, actor=actor_name, spec=spec.title, version=version_number)
    now = timezone.now()
    rows = [
        Notification(
            recipient=person,
            event=event,
            spec=spec,
            version_number=version_number,
            actor=actor if actor_name else None,
            subject=subject,
            context=details,
            dedupe_key=_dedupe_key(event, spec.pk, version_number, person.pk, details),
            state=State.PENDING if modes[person.pk] == Mode.IMMEDIATE else State.DIGEST_PENDING,
            next_attempt_at=now,
            created_at=now,
        )
        for person in people
        if modes[person.pk] != Mode.OFF
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    written = list(Notification.objects.filter(dedupe_key__in=[row.dedupe_key for row in rows]))
    for row in written:
        if row.state == State.PENDING:
            _enqueue_on_commit(row.pk)
    return written


def notify_first(
    *,
    spec,
    version_number: int | None,
    actor,
    choices: Iterable[tuple[str, Iterable[Any], dict[str, Any]]],
) -> list[Notification]:
    """One e-mail per person for one action that matches them several ways.

    `choices` are (event, recipients, context), most specific first (a mention before a reply
    before a plain comment): each person gets the first event they have not switched off.
    """
    covered: set[int] = set()
    written: list[Notification] = []
    for event, recipients, context in choices:
        people = [p for p in _addressable(recipients, actor) if p.pk not in covered]
        modes = NotificationPreference.objects.modes_for((p.pk for p in people), event)
        wanted = [p for p in people if modes[p.pk] != Mode.OFF]
        covered.update(p.pk for p in wanted)
        if wanted:
            written += notify(
                event=event,
                spec=spec,
                version_number=version_number,
                actor=actor,
                recipients=wanted,
                context=context,
            )
    return written


@transaction.atomic
def set_schedule(*, user, digest_hour: int, time_zone: str) -> DeliverySchedule:
    if not scheduling.is_zone_name(time_zone):
        raise NotificationError(f"“{time_zone}” is not a time zone name such as Europe/Berlin.")
    if not 0 <= digest_hour <= 23:
        raise NotificationError("The digest hour is from 0 to 23.")
    schedule, _ = DeliverySchedule.objects.select_for_update().get_or_create(user=user)
    before = (schedule.digest_hour, schedule.time_zone)
    schedule.digest_hour, schedule.time_zone = digest_hour, time_zone
    schedule.save(update_fields=["digest_hour", "time_zone"])
    if before != (digest_hour, time_zone):
        record_event(
            "notifications.schedule_changed",
            actor=user,
            target=f"user:{user.pk}",
            data={"digest_hour": digest_hour, "time_zone": time_zone},
        )
    return schedule


def deliver(notification_id: int) -> str:
    """Send one notification if it is due and nobody else is sending it; say what happened."""
    paused_until = circuit.paused_until()
    if paused_until is not None:
        delivery.postpone(notification_id, paused_until)
        return "paused"
    claimed = delivery.claim(notification_id)
    if isinstance(claimed, str):
        return claimed
    try:
        reply = smtp.send(emails.build_message(claimed))
    except smtp.PermanentFailure as exc:
        delivery.finish(claimed, State.FAILED, error=str(exc))
        return "failed"
    except smtp.OutcomeUnknown as exc:
        circuit.pause(str(exc))
        delivery.finish(claimed, State.UNKNOWN, error=str(exc))
        return "unknown"
    except Exception as exc:  # temporary refusals, and anything that failed before SMTP
        if isinstance(exc, smtp.ServerUnavailable):
            circuit.pause(str(exc))
        reason = str(exc) if isinstance(exc, smtp.DeliveryError) else smtp.describe(exc)
        return delivery.retry_later(claimed, reason)
    delivery.finish(claimed, State.SENT, reply=reply)
    return "sent"


def sweep_due() -> list[int]:
    """Beat: settle lost sends, re-enqueue pending rows that are due; the due ids."""
    now = timezone.now()
    delivery.give_up_on_lost_claims(now)
    cutoff = now - timedelta(seconds=_setting(SWEEP_GRACE_SECONDS, 30))
    due = list(
        Notification.objects.due(cutoff)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    from notifications.tasks import deliver_notification_task

    for notification_id in due:
        publish(deliver_notification_task, notification_id)
    return due


def send_daily_digests(now: datetime | None = None) -> list[Notification]:
    """Hourly: one digest for each person with items waiting whose local digest hour has come
    and who has had none today (their own time zone); the digests written."""
    now = now or timezone.now()
    people = list(
        Notification.objects.waiting_for_digest()
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    schedules = DeliverySchedule.objects.of(people)
    digests = []
    for person in people:
        schedule = schedules[person]
        local_date = scheduling.digest_due(
            now=now,
            time_zone=schedule.time_zone,
            hour=schedule.digest_hour,
            last_on=schedule.last_digest_on,
        )
        if local_date is not None:
            digests.append(bundle_digest(recipient_id=person, local_date=local_date))
    return [digest for digest in digests if digest is not None]


@transaction.atomic
def bundle_digest(*, recipient_id: int, local_date: date | None = None) -> Notification | None:
    """Bundle a person's waiting items into one digest; with `local_date`, at most one that day
    (recorded on their schedule under its row lock, so two jobs at once still send one)."""
    if local_date is not None:
        DeliverySchedule.objects.get_or_create(user_id=recipient_id)
        schedule = DeliverySchedule.objects.select_for_update().get(user_id=recipient_id)
        if schedule.last_digest_on == local_date:
            return None
    items = list(
        Notification.objects.waiting_for_digest()
        .select_for_update(skip_locked=True)
        .filter(recipient_id=recipient_id)
        .order_by("created_at", "pk")
    )
    if not items:
        return None
    # Dropped, not sent a day late: events switched off since, specs the person can no longer see.
    person = items[0].recipient
    modes = NotificationPreference.objects.modes_of(person)
    visible = set(
        permissions.visible_specs(person)
        .filter(pk__in={item.spec_id for item in items})
        .values_list("pk", flat=True)
    )
    wanted = [
        item for item in items if modes[Event(item.event)] != Mode.OFF and item.spec_id in visible
    ]
    dropped = [item.pk for item in items if item not in wanted]
    Notification.objects.filter(pk__in=dropped).update(state=State.SKIPPED)
    if not wanted:
        return None
    spec_count = len({item.spec_id for item in wanted})
    now = timezone.now()
    digest = Notification.objects.create(
        recipient_id=recipient_id,
        event=DIGEST,
        subject=f"Daily digest: {_plural(len(wanted), 'update')} on {_plural(spec_count, 'spec')}",
        context={"items": len(wanted), "specs": spec_count},
        dedupe_key=f"digest:{recipient_id}:{wanted[0].pk}",
        next_attempt_at=now,
        created_at=now,
    )
    Notification.objects.filter(pk__in=[item.pk for item in wanted]).update(digest=digest)
    if local_date is not None:
        DeliverySchedule.objects.filter(user_id=recipient_id).update(last_digest_on=local_date)
    _enqueue_on_commit(digest.pk)
    return digest


@transaction.atomic
def retry(notification_id: int, *, by) -> Notification:
    """A person's "send it now": failed, unknown, held after a restore, or waiting on backoff."""
    row = Notification.objects.select_for_update().get(pk=notification_id)
    if not row.can_be_retried:
        raise NotificationError(
            f"A notification that is {row.get_state_display()} cannot be retried."
        )
    record_event(
        "notification.retried",
        actor=by,
        spec_id=row.spec_id,
        version_number=row.version_number,
        target=f"notification:{row.pk}",
        data={"state": row.state, "attempts": row.attempts, "last_error": row.last_error[:500]},
    )
    row.state, row.attempts, row.claim, row.claimed_until = State.PENDING, 0, None, None
    row.next_attempt_at = timezone.now()
    row.save(update_fields=["state", "attempts", "claim", "claimed_until", "next_attempt_at"])
    _enqueue_on_commit(row.pk)
    return row


@transaction.atomic
def set_preferences(*, user, modes: dict[Event, Mode]) -> None:
    current = NotificationPreference.objects.modes_of(user)
    changed = {event: mode for event, mode in modes.items() if current[event] != mode}
    for event, mode in changed.items():
        NotificationPreference.objects.update_or_create(
            user=user, event=event, defaults={"mode": mode}
        )
    if changed:
        record_event(
            "notifications.preferences_changed",
            actor=user,
            target=f"user:{user.pk}",
            data={str(event): str(mode) for event, mode in changed.items()},
        )


@transaction.atomic
def unsubscribe(*, user, event: str) -> list[Event]:
    """Switch one event off (or, for a digest's link, every event received by digest)."""
    current = NotificationPreference.objects.modes_of(user)
    if event == DIGEST:
        targets = [each for each, mode in current.items() if mode == Mode.DIGEST]
    else:
        targets = [Event(event)]
    set_preferences(user=user, modes=dict.fromkeys(targets, Mode.OFF))
    return targets


def _addressable(recipients: Iterable[Any], actor) -> list[Any]:
    actor_id = getattr(actor, "pk", None)
    unique = {person.pk: person for person in recipients if person is not None}
    return [
        person
        for pk, person in unique.items()
        if pk != actor_id and person.is_active and person.email
    ]


def _dedupe_key(event: str, spec_id: int, number: int | None, user_id: int, details: dict) -> str:
    digest = hashlib.sha256(json.dumps(details, sort_keys=True).encode()).hexdigest()[:24]
    return f"{event}:{spec_id}:{number or 0}:{user_id}:{digest}"


def _enqueue_on_commit(notification_id: int) -> None:
    from notifications.tasks import deliver_notification_task

    publish_on_commit(deliver_notification_task, notification_id)


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


__all__ = [
    "NotificationError",
    "bundle_digest",
    "deliver",
    "notify",
    "notify_first",
    "retry",
    "send_daily_digests",
    "set_preferences",
    "set_schedule",
    "sweep_due",
    "unsubscribe",
]
