"""Signed unsubscribe tokens: one per person and event, valid without a session.

The token carries only the user id and the event, signed with SECRET_KEY (rotated keys keep
working through SECRET_KEY_FALLBACKS). It never expires: an unsubscribe link in an old e-mail
must still work, and the worst a leaked token can do is switch one kind of e-mail off.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

from notifications.events import DIGEST, Event

SALT = "notifications.unsubscribe"


@dataclass(frozen=True)
class UnsubscribeToken:
    user_id: int
    event: str  # an Event value, or DIGEST for "every event I get by digest"


def make_token(user_id: int, event: str) -> str:
    # No timestamp: the same person and event always get the same short link.
    return signing.Signer(salt=SALT).sign_object([user_id, str(event)])


def read_token(token: str) -> UnsubscribeToken | None:
    try:
        user_id, event = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or (event != DIGEST and event not in Event.values):
        return None
    return UnsubscribeToken(user_id=user_id, event=event)
