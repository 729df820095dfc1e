"""Thin Celery tasks: each is a nudge; the outbox row is the record (see actions.sweep_due)."""

from celery import shared_task

from notifications import actions


@shared_task(name="notifications.deliver_notification")
def deliver_notification_task(notification_id: int) -> str:
    return actions.deliver(notification_id)


@shared_task(name="notifications.sweep_notifications")
def sweep_notifications_task() -> int:
    return len(actions.sweep_due())


@shared_task(name="notifications.send_daily_digests")
def send_daily_digests_task() -> int:
    return len(actions.send_daily_digests())
