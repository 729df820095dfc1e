import itertools

import pytest
from django.test import Client

from api import actions
from api.models import Scope


@pytest.fixture
def issue_token(db):
    def issue(user, scope=Scope.REVIEW, *, name="ci", days=30):
        return actions.create_token(owner=user, name=name, scope=scope, expires_in_days=days)

    return issue


_names = itertools.count(1)


@pytest.fixture
def api_client(issue_token):
    """A test client that sends a fresh token of `user` with `scope` on every request."""

    def make(user, scope=Scope.REVIEW, *, name=""):
        issued = issue_token(user, scope, name=name or f"token {next(_names)}")
        client = Client(headers={"Authorization": f"Bearer {issued.secret}"})
        client.token = issued.token  # type: ignore[attr-defined]
        return client

    return make


def problem(response) -> dict:
    assert response["Content-Type"] == "application/problem+json", response.content
    body = response.json()
    assert body["status"] == response.status_code
    assert {"type", "title", "detail"} <= body.keys()
    return body
