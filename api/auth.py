"""Bearer-token authentication, per-token rate limits and scopes for the API."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from api.actions import token_for_secret
from api.models import ApiToken, Scope
from api.problems import Problem
from core import ratelimit


class TokenAuth(HttpBearer):
    """`Authorization: Bearer srt_…`: the token's owner becomes `request.user`."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_for_secret(token.strip())
        if found is None:
            return None
        request.user = found.owner
        request.api_token = found  # type: ignore[attr-defined]  # read by the audit wrapper
        verdict = ratelimit.hit(api_limit(), f"token:{found.pk}")
        if not verdict.allowed:
            raise Problem(
                429,
                "rate-limited",
                "Too many requests",
                f"This token made too many requests in a short time. "
                f"Try again in {verdict.retry_after} s.",
                headers={"Retry-After": str(verdict.retry_after)},
            )
        return found


def api_limit() -> ratelimit.Limit:
    return ratelimit.Limit("api", *settings.API_RATE_LIMIT)


def require_scope(request: HttpRequest, scope: Scope) -> ApiToken:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if not token.allows(scope):
        raise Problem(
            403,
            "scope",
            "Token scope too narrow",
            f"The token “{token.name}” has the scope “{token.get_scope_display()}”; "
            f"this needs “{Scope(scope).label}”.",
        )
    return token
