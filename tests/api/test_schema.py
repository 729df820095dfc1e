"""Schema-driven: schemathesis generates requests from the served OpenAPI document and sends
them, authenticated, to the live test server; no answer may be a 500 or break the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import Scope

# What the issue asks (no 500, no answer outside its schema), plus documented statuses and
# media types. Not "every schema-valid request is accepted": an opaque cursor or a profile
# name is valid by its schema and still unknown.
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api_schema(live_server, settings):
    settings.API_RATE_LIMIT = (100_000, 60)
    settings.UPLOAD_RATE_LIMIT = (100_000, 600)
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")


@pytest.fixture
def world(people, reviewed_spec, issue_token):
    """A spec under review, and a token of one of its reviewers who may do everything."""
    from reviews import actions
    from specs.models import Spec

    actions.transition(
        spec=reviewed_spec,
        name="submit",
        by=people["aisha"],
        expected_row_version=Spec.objects.get(pk=reviewed_spec.pk).row_version,
    )
    issued = issue_token(people["jonas"], Scope.REVIEW)
    return reviewed_spec.slug, issued.secret


def test_the_api_keeps_to_its_schema_and_never_fails(api_schema, world):
    slug, secret = world
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 11

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=8,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            if "slug" in (case.path_parameters or {}):
                case.path_parameters["slug"] = slug  # a real spec: deeper than 404s
            case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)

        check()


def write_operations(document: dict) -> list[tuple[str, str, dict]]:
    return [
        (path, method, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if method in {"post", "put", "patch", "delete"}
    ]


def test_every_write_operation_declares_the_idempotency_key_header(client):
    document = client.get("/api/v1/openapi.json").json()
    writes = write_operations(document)
    assert len(writes) >= 6
    for path, method, operation in writes:
        headers = [p for p in operation["parameters"] if p["name"].lower() == "idempotency-key"]
        assert len(headers) == 1, (method, path)
        [header] = headers
        assert header["in"] == "header" and header["required"] is False
        assert header["schema"] == {"type": "string", "minLength": 1, "maxLength": 255}
        assert "409" in operation["responses"] and "422" in operation["responses"]
        if "{slug}" in path:  # ninja's own parameters are kept beside it
            assert any(p["name"] == "slug" and p["in"] == "path" for p in operation["parameters"])
    reads = [
        operation
        for operations in document["paths"].values()
        for method, operation in operations.items()
        if method == "get"
    ]
    assert reads and not any(
        p["name"] == "Idempotency-Key"
        for operation in reads
        for p in operation.get("parameters", [])
    )


def test_what_the_schema_declares_is_what_the_write_endpoints_do():
    """Each write view runs through api.idempotency.idempotent, which reads the header."""
    import inspect

    from api.endpoints import reviews, specs

    writes = [
        operation.view_func
        for router in (specs.router, reviews.router)
        for view in router.path_operations.values()
        for operation in view.operations
        if set(operation.methods) & {"POST", "PUT", "PATCH", "DELETE"}
    ]
    assert len(writes) >= 6
    for view_func in writes:
        assert "return idempotent(request, run)" in inspect.getsource(view_func), view_func


def test_the_declared_length_limit_is_the_one_enforced(make_spec, author, api_client):
    from tests.api.conftest import problem
    from tests.conftest import SIMPLE_SPEC

    spec = make_spec()
    api = api_client(author, Scope.UPLOAD)
    url = f"/api/v1/specs/{spec.slug}/versions"
    too_long = api.post(
        url,
        SIMPLE_SPEC + b"\na\n",
        content_type="text/markdown",
        headers={"Idempotency-Key": "k" * 256},
    )
    assert too_long.status_code == 422
    assert problem(too_long)["type"].endswith(":idempotency-key-invalid")
    longest = api.post(
        url,
        SIMPLE_SPEC + b"\nb\n",
        content_type="text/markdown",
        headers={"Idempotency-Key": "k" * 255},
    )
    assert longest.status_code == 201
