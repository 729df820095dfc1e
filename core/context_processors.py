from functools import lru_cache

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

SITE_NAME = "Spec Review"

# The addresses every page's header and head link to, by name in base.html.
CHROME_URLS = {
    "home": "reviews:home",
    "trends": "reviews:dashboard_trends",
    "decisions": "reviews:decision_log",
    "templates": "specs:profile_list",
    "outbox": "notifications:admin",
    "admin": "admin:index",
    "search": "specs:search",
    "email": "notifications:preferences",
    "password": "accounts:password_change",
    "tokens": "api:tokens",
    "webhooks": "webhooks:list",
    "logout": "accounts:logout",
}
CHROME_ASSETS = {"favicon": "favicon.svg", "css": "css/app.css", "js": "js/app.js"}


@lru_cache(maxsize=8)
def chrome(script_prefix: str) -> dict[str, str]:
    """The header's links and the head's assets, resolved once per process (and script
    prefix, which `reverse` reads): a dozen `{% url %}` and `{% static %}` lookups on every
    page were about 0.5 ms of a review page's 8 (ADR 0018)."""
    return {
        **{name: reverse(route) for name, route in CHROME_URLS.items()},
        **{name: static(path) for name, path in CHROME_ASSETS.items()},
    }


def site(request: HttpRequest) -> dict:
    return {"site_name": SITE_NAME, "chrome": chrome(get_script_prefix())}
