"""The audit verbs webhooks write."""

from enum import StrEnum


class WebhookVerb(StrEnum):
    SUBSCRIBED = "webhook.subscribed"
    UNSUBSCRIBED = "webhook.unsubscribed"
    REDELIVERED = "webhook.redelivered"
