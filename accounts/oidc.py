"""Where the company's OpenID Connect provider answers: its discovery document, read once an
hour, unless all four endpoints are configured."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import requests
from django.conf import settings

DISCOVERY_TTL_SECONDS = 3600


class DiscoveryFailed(Exception):
    """The provider's discovery document could not be read, or cannot be trusted."""


@dataclass(frozen=True)
class Endpoints:
    authorization: str
    token: str
    userinfo: str
    jwks: str


_cache: dict[str, tuple[float, Endpoints]] = {}
_lock = threading.Lock()


def endpoints() -> Endpoints:
    configured = Endpoints(
        authorization=settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        token=settings.OIDC_OP_TOKEN_ENDPOINT,
        userinfo=settings.OIDC_OP_USER_ENDPOINT,
        jwks=settings.OIDC_OP_JWKS_ENDPOINT,
    )
    if all(vars(configured).values()):
        return configured
    issuer = settings.OIDC_ISSUER
    with _lock:
        fetched_at, found = _cache.get(issuer, (0.0, None))
        if found is None or time.monotonic() - fetched_at > DISCOVERY_TTL_SECONDS:
            found = _discover(issuer)
            _cache[issuer] = (time.monotonic(), found)
    return found


def forget_discovery() -> None:
    with _lock:
        _cache.clear()


def _discover(issuer: str) -> Endpoints:
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        # OpenID Connect Discovery 4.3: the document must name the issuer we asked, or
        # someone else's keys and endpoints would be trusted.
        if str(document.get("issuer", "")).rstrip("/") != issuer:
            raise DiscoveryFailed(f"{url} names another issuer: {document.get('issuer')!r}")
        return Endpoints(
            authorization=settings.OIDC_OP_AUTHORIZATION_ENDPOINT
            or document["authorization_endpoint"],
            token=settings.OIDC_OP_TOKEN_ENDPOINT or document["token_endpoint"],
            userinfo=settings.OIDC_OP_USER_ENDPOINT or document["userinfo_endpoint"],
            jwks=settings.OIDC_OP_JWKS_ENDPOINT or document["jwks_uri"],
        )
    except (requests.RequestException, ValueError, KeyError, AttributeError) as error:
        raise DiscoveryFailed(f"{url}: {type(error).__name__}: {error}") from error
