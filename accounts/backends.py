"""Authentication backends: local passwords that can be switched off, and the company's
OpenID Connect provider (mozilla-django-oidc, ADR 0015)."""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts import actions, oidc

logger = logging.getLogger(__name__)

UNFINISHED = "The sign-in with your company account could not be finished. Try again."


class PasswordsSwitchedOffBackend:
    """Placed before ModelBackend: with LOCAL_PASSWORDS off, every password is refused on every
    route (the sign-in page, the admin's), however right it is. Only authenticate(): with a
    get_user() it would be the backend that sessions and force_login() remember."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is not None and not settings.LOCAL_PASSWORDS:
            raise PermissionDenied("Local passwords are switched off")
        return None


class CompanyIdentityBackend(OIDCAuthenticationBackend):
    """The code flow's last step: exchange the code, check the ID token (signature, nonce,
    audience, issuer, expiry), read the userinfo and hand its claims to
    `actions.sign_in_with_provider`. A refusal's words are left on the request for the page."""

    def __init__(self, *args, **kwargs):
        # Django builds every backend for each authenticate() and each request's get_user():
        # the endpoints (perhaps a network fetch) are looked up only in authenticate().
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any):
        # Only the callback view calls with a nonce and no username or password; a password
        # sign-in to a URL carrying ?code=&state= must never start a token exchange.
        if not settings.OIDC_ENABLED or request is None or not kwargs.get("nonce"):
            return None
        if set(kwargs) - {"nonce", "code_verifier"}:
            return None
        try:
            found = oidc.endpoints()
        except oidc.DiscoveryFailed as e:
            logger.error("OIDC discovery failed: %s", e)
            request.provider_refusal = UNFINISHED  # type: ignore[attr-defined]
            return None
        self.OIDC_OP_TOKEN_ENDPOINT = found.token
        self.OIDC_OP_USER_ENDPOINT = found.userinfo
        self.OIDC_OP_JWKS_ENDPOINT = found.jwks
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, jwt.PyJWTError, requests.RequestException, ValueError) as e:
            # A broken or forged exchange, or a provider that does not answer: the person
            # gets the login page with a message, the log gets the reason.
            logger.warning("OIDC sign-in not finished: %s: %s", type(e).__name__, e)
            request.provider_refusal = UNFINISHED  # type: ignore[attr-defined]
            return None

    def get_user(self, user_id):
        # mozilla-django-oidc's get_user forgets is_active: a deactivated person's session
        # must end on their next request, as it does for a password session.
        return ModelBackend.get_user(self, user_id)

    def _verify_jws(self, payload, key):
        """The library checks the signature, algorithm and expiry but not whom the token is
        for or who issued it (OpenID Connect Core 3.1.3.7): both are checked here."""
        claims = super()._verify_jws(payload, key)
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token is for another client")
        if str(claims.get("iss", "")).rstrip("/") != settings.OIDC_ISSUER:
            raise SuspiciousOperation("ID token is from another issuer")
        if "exp" not in claims:
            raise SuspiciousOperation("ID token never expires")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: userinfo about someone else must not be used.
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another subject")
        try:
            return actions.sign_in_with_provider(
                claims={**payload, **userinfo}, issuer=settings.OIDC_ISSUER
            )
        except actions.SignInRefused as refusal:
            self.request.provider_refusal = refusal.reason.label
            return None


def is_provider_callback(request: HttpRequest, credentials: dict | None) -> bool:
    """django-axes' whitelist: a provider callback is not a password guess (the provider limits
    its own sign-in attempts), and counting its refusals per address would lock a whole office
    behind one NAT out of company sign-in."""
    credentials = credentials or {}
    return bool(
        credentials.get("nonce")
        and not credentials.get("username")
        and not credentials.get("password")
    )
