from celery import shared_task

from webhooks import delivery


@shared_task(name="webhooks.deliver")
def deliver_webhook_task(delivery_id: int) -> None:
    delivery.deliver(delivery_id)


@shared_task(name="webhooks.sweep")
def sweep_webhooks_task() -> None:
    """Due retries, and sends whose worker was lost or whose task the broker never had."""
    delivery.deliver_due()
