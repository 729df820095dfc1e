"""Writes that matter for accounts: a person the company's provider vouched for becomes one
account here, matched by e-mail or created, and every outcome is audited."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.db import connection, transaction

from accounts.models import User
from accounts.vocabulary import AccountVerb, Refusal
from core.audit import record_event

USERNAME_MAX = 150
_NOT_IN_USERNAME = re.compile(r"[^a-z0-9._-]+")


class SignInRefused(Exception):
    def __init__(self, reason: Refusal, user: User | None = None):
        super().__init__(reason.label)
        self.reason = reason
        self.user = user


def sign_in_with_provider(*, claims: Mapping[str, Any], issuer: str) -> User:
    """The account for the provider's verified e-mail (any case), created when there is none;
    its display name follows the provider's. Raises SignInRefused (audited) instead when the
    address is missing or unverified, two accounts share it, or the account is deactivated."""
    email = str(claims.get("email") or "").strip()
    who = {"issuer": issuer, "subject": str(claims.get("sub", "")), "email": email}
    try:
        with transaction.atomic():
            user, created = _match_or_create(email, claims)
            if created:
                record_event(
                    AccountVerb.CREATED_FROM_PROVIDER,
                    actor=user,
                    target=f"user:{user.pk}",
                    data={**who, "username": user.username},
                )
            record_event(
                AccountVerb.SIGNED_IN_WITH_PROVIDER, actor=user, target=f"user:{user.pk}", data=who
            )
    except SignInRefused as refusal:
        record_event(
            AccountVerb.PROVIDER_SIGN_IN_REFUSED,
            actor=refusal.user,
            target=f"user:{refusal.user.pk}" if refusal.user else "",
            data={**who, "reason": refusal.reason.value},
        )
        raise
    return user


def _match_or_create(email: str, claims: Mapping[str, Any]) -> tuple[User, bool]:
    if not email:
        raise SignInRefused(Refusal.NO_EMAIL)
    if not _email_verified(claims):
        raise SignInRefused(Refusal.EMAIL_NOT_VERIFIED)
    # One provider sign-in at a time decides matches and creations, so two first sign-ins of
    # one person cannot create two accounts (which would then refuse every later sign-in).
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended('accounts.provider', 0))")
    matches = list(User.objects.select_for_update().filter(email__iexact=email).order_by("pk")[:2])
    if len(matches) > 1:
        raise SignInRefused(Refusal.DUPLICATE_EMAIL)
    first_name, last_name = _names(claims)
    if matches:
        user = matches[0]
        if not user.is_active:
            raise SignInRefused(Refusal.DEACTIVATED, user)
        if first_name and (user.first_name, user.last_name) != (first_name, last_name):
            user.first_name, user.last_name = first_name, last_name
            user.save(update_fields=["first_name", "last_name"])
        return user, False
    user = User(
        username=_free_username(claims, email),
        email=User.objects.normalize_email(email),
        first_name=first_name,
        last_name=last_name,
    )
    # Nobody knows a password for it: it signs in through the provider only, and password
    # reset never mails it a link.
    user.set_unusable_password()
    user.save()
    return user, True


def _email_verified(claims: Mapping[str, Any]) -> bool:
    """Refused only when the provider says the address is unverified; some providers (Entra
    ID) never send the claim for addresses their administrators set. A few send strings."""
    verified = claims.get("email_verified", True)
    if isinstance(verified, str):
        return verified.strip().lower() == "true"
    return bool(verified)


def _names(claims: Mapping[str, Any]) -> tuple[str, str]:
    given = str(claims.get("given_name") or "").strip()
    family = str(claims.get("family_name") or "").strip()
    if not (given or family):
        given = str(claims.get("name") or "").strip()
    return given[:150], family[:150]


def _free_username(claims: Mapping[str, Any], email: str) -> str:
    """A readable username nobody here has (in any case): the provider's preferred username or
    the e-mail's local part, folded to a-z0-9._-, then -2, -3… when taken. Usernames are never
    used to match a person, so a taken one only costs a suffix."""
    wanted = str(claims.get("preferred_username") or "").split("@")[0] or email.split("@")[0]
    folded = unicodedata.normalize("NFKD", wanted).encode("ascii", "ignore").decode().lower()
    base = _NOT_IN_USERNAME.sub("-", folded).strip("-._")[: USERNAME_MAX - 8] or "user"
    taken = {
        name.lower()
        for name in User.objects.filter(username__istartswith=base).values_list(
            "username", flat=True
        )
    }
    candidate, suffix = base, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate
