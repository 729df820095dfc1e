"""The JSON API under /api/v1/ (django-ninja; see docs/decisions/0007-api-django-ninja.md)."""

from ninja import NinjaAPI

from api import problems
from api.auth import TokenAuth

from . import reviews, specs

api = NinjaAPI(
    title="Spec Review API",
    version="1",
    description=(
        "Specs, versions, lint findings and reviews. Authenticate with a personal API token "
        "(`Authorization: Bearer srt_…`, created under *API tokens* in the account menu). "
        "Writes accept an `Idempotency-Key` header; errors are RFC 9457 problem details."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,  # the interactive docs page loads scripts from a CDN, which our CSP refuses
)
problems.install(api)
api.add_router("/", specs.router)
api.add_router("/", reviews.router)
