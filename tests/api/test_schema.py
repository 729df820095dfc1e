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
