"""Writes that matter for webhooks: subscribing, queueing an event, redelivering."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import record_event
from core.queueing import publish_on_commit
from specs.models import Spec
from webhooks import signing
from webhooks.models import Delivery, DeliveryState, Event, Subscription
from webhooks.tasks import deliver_webhook_task
from webhooks.vocabulary import WebhookVerb


@transaction.atomic
def subscribe(*, owner, url: str, events: list[str], spec: Spec | None) -> Subscription:
    """Permission is the caller's to check (`webhooks.views`): spec owners or site admins."""
    subscription = Subscription.objects.create(
        owner=owner, spec=spec, url=url, events=sorted(events), secret=signing.new_secret()
    )
    record_event(
        WebhookVerb.SUBSCRIBED,
        actor=owner,
        spec_id=spec.pk if spec else None,
        target=f"webhook:{subscription.pk}",
        data={"url": url, "events": subscription.events},
    )
    return subscription


@transaction.atomic
def unsubscribe(*, subscription: Subscription, by) -> None:
    Subscription.objects.filter(pk=subscription.pk).update(active=False)
    record_event(
        WebhookVerb.UNSUBSCRIBED,
        actor=by,
        spec_id=subscription.spec_id,
        target=f"webhook:{subscription.pk}",
        data={"url": subscription.url},
    )


def enqueue_event(event: Event, *, spec_id: int, version: int | None, data: dict[str, Any]) -> int:
    """Write one delivery per matching subscription, in the caller's transaction."""
    subscriptions = list(
        Subscription.objects.filter(
            Q(spec_id=spec_id) | Q(spec__isnull=True), active=True, events__contains=[str(event)]
        )
    )
    if not subscriptions:
        return 0
    spec = Spec.objects.only("slug", "title").get(pk=spec_id)
    now = timezone.now()
    for subscription in subscriptions:
        delivery = Delivery.objects.create(
            subscription=subscription,
            event=event,
            payload={
                "type": str(event),
                "created_at": now.isoformat(),
                "spec": {"slug": spec.slug, "title": spec.title},
                "version": version,
                "data": data,
            },
            next_attempt_at=now,
        )
        publish_on_commit(deliver_webhook_task, delivery.pk)
    return len(subscriptions)


@transaction.atomic
def redeliver(*, delivery: Delivery, by) -> Delivery:
    """Send again (same webhook-id, so a receiver that got it already can tell)."""
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if locked.state == DeliveryState.SENDING:
        return locked  # on its way already
    locked.state, locked.next_attempt_at = DeliveryState.PENDING, timezone.now()
    locked.save(update_fields=["state", "next_attempt_at"])
    record_event(
        WebhookVerb.REDELIVERED,
        actor=by,
        target=f"webhook_delivery:{locked.pk}",
        data={"event": locked.event, "event_id": str(locked.event_id)},
    )
    publish_on_commit(deliver_webhook_task, locked.pk)
    return locked
