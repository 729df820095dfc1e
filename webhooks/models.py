"""Webhook subscriptions and their outbox: one delivery row per event and subscriber.

Delivery rows are written in the transaction of the change that caused them (like the e-mail
outbox, docs/decisions/0004): a change that rolls back sends nothing, and a change that commits
is delivered even if the broker or the receiver is down, by retries with backoff.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Event(models.TextChoices):
    VERSION_UPLOADED = "version.uploaded", "Version uploaded"
    LINT_FINISHED = "lint.finished", "Lint finished"
    STATE_CHANGED = "spec.state_changed", "Workflow state changed"
    SIGNOFF_RECORDED = "signoff.recorded", "Sign-off recorded"


class Subscription(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    spec = models.ForeignKey(
        "specs.Spec",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="empty: every spec (site administrators only)",
    )
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=100, help_text="the HMAC-SHA256 key")
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.url} ({self.spec or 'every spec'})"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40, choices=Event.choices)
    # The `webhook-id` header: stable across retries and redeliveries, so receivers dedupe.
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    payload = models.JSONField()
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="unique_webhook_event"
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhook_due")]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription.url} ({self.state})"
