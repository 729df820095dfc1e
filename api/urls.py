import functools

from django.urls import URLPattern, URLResolver, include, path
from django.utils.encoding import escape_uri_path

from api import views
from api.endpoints import api
from api.vocabulary import ApiVerb
from core.audit import record_event


def audited(view):
    """Every API call made with a token leaves an audit event naming the token."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        token = getattr(request, "api_token", None)
        if token is not None:
            record_event(
                ApiVerb.REQUEST,
                actor=token.owner,
                target=f"api_token:{token.pk}",
                data={
                    "token": token.name,
                    "method": request.method,
                    "path": escape_uri_path(request.path),  # no raw NUL in jsonb
                    "status": response.status_code,
                },
            )
        return response

    # The API answers 401 itself; the site-wide login redirect is for pages.
    wrapper.login_required = False  # type: ignore[attr-defined]
    return wrapper


def _audit_all(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _audit_all(pattern.url_patterns)
        else:
            pattern.callback = audited(pattern.callback)
    return patterns


app_name = "api"
api_patterns = api.urls[0]

urlpatterns = [
    # Namespaced "api:v1", which the API object is told (it reverses its own root).
    path("api/v1/", include((_audit_all(api_patterns), "v1"))),
    path("accounts/tokens/", views.token_list, name="tokens"),
    path("accounts/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
