"""Turning an outbox row into an e-mail: subject, text and HTML parts, links and headers.

Built at send time from the row (and, for a digest, its items), so a retry days later still
says what happened then; links point at the exact version, section and diff.
"""

from __future__ import annotations

from email.utils import formataddr, parseaddr
from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from notifications.events import DIGEST, EVENTS, Event
from notifications.models import Notification
from notifications.tokens import make_token


def build_message(notification: Notification) -> EmailMultiAlternatives:
    if notification.is_digest:
        template, context = "digest", digest_context(notification)
    else:
        template, context = "event", event_context(notification)
    recipient = notification.recipient
    unsubscribe = context["unsubscribe_url"]
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=render_to_string(f"notifications/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((recipient.get_full_name() or recipient.username, recipient.email))],
        headers={
            "Message-ID": message_id(notification),
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # RFC 3834: no vacation auto-replies to a robot.
            "Auto-Submitted": "auto-generated",
            "X-Spec-Review-Event": notification.event,
            "X-Spec-Review-Notification": str(notification.uuid),
            **thread_headers(notification),
        },
    )
    message.attach_alternative(
        render_to_string(f"notifications/email/{template}.html", context), "text/html"
    )
    return message


def event_context(notification: Notification) -> dict[str, Any]:
    info = EVENTS[Event(notification.event)]
    return {
        "notification": notification,
        "event_label": Event(notification.event).label,
        "call_to_action": info.call_to_action,
        "details": notification.context,
        "links": links_for(notification),
        "unsubscribe_url": unsubscribe_url(notification.recipient_id, notification.event),
        "preferences_url": absolute(reverse("notifications:preferences")),
    }


def digest_context(digest: Notification) -> dict[str, Any]:
    items = list(
        digest.items.select_related("spec", "actor").order_by(
            "spec__title", "spec_id", "created_at"
        )
    )
    groups = [
        {"spec": spec, "items": [(item, links_for(item)) for item in spec_items]}
        for spec, spec_items in groupby(items, key=lambda item: item.spec)
    ]
    return {
        "notification": digest,
        "groups": groups,
        "count": len(items),
        "unsubscribe_url": unsubscribe_url(digest.recipient_id, DIGEST),
        "preferences_url": absolute(reverse("notifications:preferences")),
    }


def links_for(notification: Notification) -> dict[str, str]:
    """Deep links: the exact version, plus the section and the diff when the event has them."""
    spec, number, details = notification.spec, notification.version_number, notification.context
    if spec is None or not number:
        return {}
    links = {"version": version_url(spec.slug, number)}
    anchor = str(details.get("section") or "")
    if anchor:
        anchor = anchor if anchor.startswith("spec-") else f"spec-{anchor}"
        links["section"] = f"{links['version']}#{anchor}"
    diff_from = details.get("diff_from")
    if diff_from is None and notification.event == Event.VERSION_UPLOADED and number > 1:
        diff_from = number - 1
    if diff_from:
        sections = [str(key) for key in details.get("diff_sections") or []]
        links["diff"] = diff_url(spec.slug, int(diff_from), number, sections=sections)
    return links


def version_url(slug: str, number: int) -> str:
    return absolute(reverse("reviews:spec_version", args=[slug, number]))


def diff_url(slug: str, old: int, new: int, *, sections: list[str] | None = None) -> str:
    # ?section= (repeatable) narrows the diff to a reviewer's own sections.
    query = urlencode([("from", old), ("to", new), *(("section", key) for key in sections or [])])
    return absolute(f"{reverse('specs:version_diff', args=[slug])}?{query}")


def unsubscribe_url(user_id: int, event: str) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[make_token(user_id, event)]))


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def mail_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "spec-review.invalid"


def message_id(notification: Notification) -> str:
    return f"<notification-{notification.uuid}@{mail_domain()}>"


def thread_headers(notification: Notification) -> dict[str, str]:
    # Mail clients thread every e-mail about one spec together under a root that is never sent.
    if notification.spec_id is None:
        return {}
    root = f"<spec-{notification.spec_id}@{mail_domain()}>"
    return {"References": root, "In-Reply-To": root}
