"""The JSON API under /api/v1/ (django-ninja; see docs/decisions/0009-api-django-ninja.md)."""

import functools
from typing import Any

from ninja import NinjaAPI

from api import idempotency, problems
from api.auth import TokenAuth

from . import reviews, specs


class SpecReviewAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict | None = None
    ) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _media_typed_schema(self, path_prefix)


WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
# Every write runs through api.idempotency.idempotent (tests/api/test_openapi.py checks that);
# its header is read from the request there, not by ninja, so the schema is told here.
IDEMPOTENCY_KEY_PARAMETER = {
    "name": idempotency.HEADER,
    "in": "header",
    "required": False,
    "description": (
        "Any 1 to 255 printable characters, chosen by the client per intended write. A retry "
        "with the same key and the same request gets the first answer again (with "
        f"`{idempotency.REPLAYED_HEADER}: true`) instead of writing twice; the same key with a "
        "different request is refused (422), and while the first is still running (409). Keys "
        "are kept for a day."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}


@functools.cache  # the document never changes while the process lives: make it once
def _media_typed_schema(api: NinjaAPI, path_prefix: str) -> Any:
    """ninja says application/json everywhere; say what is really sent, and what writes take."""
    schema = NinjaAPI.get_openapi_schema(api, path_prefix=path_prefix)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in WRITE_METHODS:
                operation.setdefault("parameters", []).append(dict(IDEMPOTENCY_KEY_PARAMETER))
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
