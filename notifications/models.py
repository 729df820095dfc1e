"""The notification outbox and per-person delivery preferences.

A `Notification` row is written in the same transaction as the change that caused it; the row,
not the Celery task, is the record of the e-mail to send (see docs/decisions/0004).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from notifications.events import DIGEST, Event, Mode, default_mode


class State(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    # The server refused it: it does not hold the message.
    FAILED = "failed", "Failed"
    # Nobody recorded what the server said (worker lost mid-send, database unreachable until
    # the lease ran out, connection dropped after DATA): it may have arrived. Never re-sent
    # automatically; a person decides with the evidence on the outbox page.
    UNKNOWN = "unknown", "Delivery unknown"
    # Unsent when a backup was restored: it may have gone out after the backup was taken.
    HELD = "held", "Held after a restore"
    DIGEST_PENDING = "digest_pending", "Waiting for the digest"
    SKIPPED = "skipped", "Skipped"


# States a person may send again. "Unknown" and "held" may already have arrived: the outbox page
# shows the evidence (Message-ID, the server's reply) for that decision.
RETRYABLE_STATES = frozenset({State.FAILED, State.UNKNOWN, State.HELD, State.PENDING})

EVENT_CHOICES = [*Event.choices, (DIGEST, "Daily digest")]


class NotificationQuerySet(models.QuerySet):
    def for_admin(self) -> NotificationQuerySet:
        return self.select_related("recipient", "spec", "actor").order_by("-created_at", "-pk")

    def due(self, now) -> NotificationQuerySet:
        return self.filter(state=State.PENDING, next_attempt_at__lte=now)

    def waiting_for_digest(self) -> NotificationQuerySet:
        return self.filter(state=State.DIGEST_PENDING, digest__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(max_length=40, choices=EVENT_CHOICES)
    spec = models.ForeignKey(
        "specs.Spec", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version_number = models.PositiveIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(max_length=300)
    context = models.JSONField(default=dict, blank=True)
    # Same event, spec, version, person and context: the same notification, written once.
    dedupe_key = models.CharField(max_length=200, unique=True)
    # Stable across every attempt (and an admin's retry), so the Message-ID header is too: a
    # receiving system or mail client can recognise a repeat for what it is.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # The lease of the worker that is sending: set with `claim` when the row goes to `sending`.
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True)
    # Evidence for whoever must decide whether it arrived: the header we sent (fixed by `uuid`)
    # and the mail server's last reply (its queue id, for a 250).
    message_id = models.CharField(max_length=300, blank=True)
    smtp_reply = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # A digest_pending row, once bundled: the outbox row of the digest e-mail that carries it.
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweep's and the admin page's lookups.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending"),
                name="notification_due",
            ),
            models.Index(
                fields=["claimed_until"],
                condition=Q(state="sending"),
                name="notification_sending",
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(state="digest_pending", digest__isnull=True),
                name="notification_digest_waiting",
            ),
            models.Index(fields=["state", "-created_at"], name="notification_state_created"),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.recipient_id} ({self.state})"

    @property
    def is_digest(self) -> bool:
        return self.event == DIGEST

    @property
    def can_be_retried(self) -> bool:
        return self.state in RETRYABLE_STATES


class PreferenceQuerySet(models.QuerySet):
    def modes_for(self, user_ids: Iterable[int], event: str) -> dict[int, Mode]:
        """Each person's mode for one event, the event's default where they chose none."""
        ids = list(user_ids)
        chosen = dict(self.filter(user_id__in=ids, event=event).values_list("user_id", "mode"))
        fallback = default_mode(event)
        return {user_id: Mode(chosen.get(user_id, fallback)) for user_id in ids}

    def modes_of(self, user) -> dict[Event, Mode]:
        """One person's mode for every event, defaults filled in."""
        chosen = dict(self.filter(user=user).values_list("event", "mode"))
        return {event: Mode(chosen.get(event, default_mode(event))) for event in Event}


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(max_length=40, choices=Event.choices)
    mode = models.CharField(max_length=16, choices=Mode.choices)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PreferenceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="one_preference_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.event} → {self.mode}"


class MailServerPause(models.Model):
    """One row: until when nobody tries the mail server (see notifications.circuit)."""

    until = models.DateTimeField()
    reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"mail paused until {self.until:%H:%M:%S}: {self.reason[:80]}"


DEFAULT_DIGEST_HOUR = 7


class DeliveryScheduleQuerySet(models.QuerySet):
    def of(self, user_ids: Iterable[int]) -> dict[int, DeliverySchedule]:
        """Each person's schedule, an unsaved default (07:00, the site's zone) where none."""
        ids = list(user_ids)
        chosen: dict[int, DeliverySchedule] = {
            row.user_id: row for row in DeliverySchedule.objects.filter(user_id__in=ids)
        }
        return {uid: chosen.get(uid) or DeliverySchedule(user_id=uid) for uid in ids}


def _default_time_zone() -> str:
    return settings.TIME_ZONE


class DeliverySchedule(models.Model):
    """When a person's mail arrives: the digest's local hour and the zone that defines their day
    (working days for overdue reminders too). One row per person, created when first changed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delivery_schedule"
    )
    digest_hour = models.PositiveSmallIntegerField(default=DEFAULT_DIGEST_HOUR)
    # An IANA zone name ("Europe/Berlin"), checked against zoneinfo by the form.
    time_zone = models.CharField(max_length=64, default=_default_time_zone)
    # The local date of the last digest bundled: the hourly job sends at most one a day.
    last_digest_on = models.DateField(null=True, blank=True)

    objects = DeliveryScheduleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(digest_hour__gte=0, digest_hour__lte=23), name="digest_hour_of_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: digest at {self.digest_hour:02d}:00 {self.time_zone}"


class ReminderSent(models.Model):
    """A reminder or escalation written for one overdue sign-off, by the person's local date.

    The record the reminder job counts against its limit and checks before writing: a second
    run the same day, or a restart, finds the row and sends nothing (unique constraint).
    """

    event = models.CharField(max_length=40, choices=Event.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # Whose sign-off is overdue (the recipient for a reminder, not for an escalation).
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    spec = models.ForeignKey("specs.Spec", on_delete=models.CASCADE, related_name="+")
    version_number = models.PositiveIntegerField()
    area = models.CharField(max_length=100)
    local_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "event",
                    "recipient",
                    "signer",
                    "spec",
                    "version_number",
                    "area",
                    "local_date",
                ],
                name="one_reminder_a_day",
            )
        ]
        indexes = [models.Index(fields=["spec", "version_number"], name="reminder_spec_version")]

    def __str__(self) -> str:
        return f"{self.event} to {self.recipient_id} on {self.local_date}"
