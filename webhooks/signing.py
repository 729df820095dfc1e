"""Signing webhook bodies: HMAC-SHA256 over id, timestamp and body (Standard Webhooks layout).

Receivers recompute ``base64(hmac_sha256(secret, f"{id}.{timestamp}.{body}"))``, compare it
with the ``v1,`` entry of ``webhook-signature`` in constant time, and refuse timestamps more
than a few minutes old (replays).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105  # a marker, not a secret


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{event_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, event_id, timestamp, body),
        "User-Agent": "spec-review-webhooks/1",
    }


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    expected = signature(secret, headers["webhook-id"], int(headers["webhook-timestamp"]), body)
    return any(
        hmac.compare_digest(expected, candidate)
        for candidate in headers["webhook-signature"].split()
    )
