"""Writes that matter for API tokens: creating one (its secret shown once) and revoking it."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken, Scope
from api.vocabulary import ApiVerb
from core.audit import record_event

# Recognisable in logs and by secret scanners; the rest is 256 bits from the OS.
SECRET_PREFIX = "srt_"  # noqa: S105  # a marker, not a secret
EXPIRY_CHOICES_DAYS = (7, 30, 90, 365)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown to its owner once, never stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def create_token(*, owner, name: str, scope: Scope, expires_in_days: int) -> IssuedToken:
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        owner=owner,
        name=name.strip(),
        prefix=secret[:10],
        secret_sha256=hash_secret(secret),
        scope=scope,
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days),
    )
    record_event(
        ApiVerb.TOKEN_CREATED,
        actor=owner,
        target=f"api_token:{token.pk}",
        data={"name": token.name, "scope": scope, "expires_at": token.expires_at.isoformat()},
        at=now,
    )
    return IssuedToken(token, secret)


@transaction.atomic
def revoke_token(*, token: ApiToken, by) -> ApiToken:
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        return locked  # revoking twice (a double submit) changes nothing
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    record_event(
        ApiVerb.TOKEN_REVOKED,
        actor=by,
        target=f"api_token:{locked.pk}",
        data={"name": locked.name},
        at=locked.revoked_at,
    )
    return locked


def token_for_secret(secret: str) -> ApiToken | None:
    """The usable token whose secret this is, its last use noted; None for anything else."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("owner")
        .filter(secret_sha256=hash_secret(secret), owner__is_active=True)
        .first()
    )
    if token is not None:
        token.last_used_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
    return token
