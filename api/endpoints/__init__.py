"""The JSON API under /api/v1/ (django-ninja; see docs/decisions/0009-api-django-ninja.md)."""

import functools
from typing import Any

from ninja import NinjaAPI

from api import problems
from api.auth import TokenAuth

from . import reviews, specs


class SpecReviewAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict | None = None
    ) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _media_typed_schema(self, path_prefix)


@functools.cache  # the document never changes while the process lives: make it once
def _media_typed_schema(api: NinjaAPI, path_prefix: str) -> Any:
    """ninja says application/json everywhere; say what is really sent."""
    schema = NinjaAPI.get_openapi_schema(api, path_prefix=path_prefix)
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if "application/json" not in content:
                    continue
                if int(status) >= 400:
                    content[problems.CONTENT_TYPE] = content.pop("application/json")
                elif path.endswith(".sarif"):
                    content["application/sarif+json"] = content.pop("application/json")
    return schema


api = SpecReviewAPI(
    title="Spec Review API",
    version="1",
    description=(
        "Specs, versions, lint findings and reviews. Authenticate with a personal API token "
        "(`Authorization: Bearer srt_…`, created under *API tokens* in the account menu). "
        "Writes accept an `Idempotency-Key` header; errors are RFC 9457 problem details."
    ),
    auth=TokenAuth(),
    urls_namespace="api:v1",
    docs_url=None,  # the interactive docs page loads scripts from a CDN, which our CSP refuses
)
problems.install(api)
api.add_router("/", specs.router)
api.add_router("/", reviews.router)
