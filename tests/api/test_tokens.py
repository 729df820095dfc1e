import datetime
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from api import actions
from api.models import ApiToken, Scope
from core.models import AuditEvent
from tests.api.conftest import problem

pytestmark = pytest.mark.django_db


def test_token_page_shows_the_secret_once_and_stores_only_its_hash(client, author):
    client.force_login(author)
    response = client.post(
        "/accounts/tokens/", {"name": "CI payments", "scope": "upload", "expires_in_days": "30"}
    )
    assert response.status_code == 200
    secret = response.context["issued"].secret
    assert secret.startswith("srt_") and len(secret) > 40
    assert secret in response.content.decode()
    token = ApiToken.objects.get(owner=author)
    assert token.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().first())
    assert token.scope == "upload" and token.name == "CI payments"
    assert token.expires_at - token.created_at == datetime.timedelta(days=30)
    again = client.get("/accounts/tokens/")
    assert secret not in again.content.decode()
    assert "CI payments" in again.content.decode() and token.prefix in again.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")


def test_token_page_refuses_a_duplicate_live_name(client, author, issue_token):
    issue_token(author, name="ci")
    client.force_login(author)
    response = client.post(
        "/accounts/tokens/", {"name": "ci", "scope": "read", "expires_in_days": "7"}
    )
    assert response.status_code == 422
    assert "already have a token named" in response.content.decode()
    assert ApiToken.objects.filter(owner=author).count() == 1


def test_token_page_needs_a_login(client):
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_revoking_a_token_stops_it_at_once_and_is_audited(client, author, api_client):
    api = api_client(author, Scope.READ)
    assert api.get("/api/v1/specs").status_code == 200
    client.force_login(author)
    response = client.post(f"/accounts/tokens/{api.token.pk}/revoke/")
    assert response.status_code == 302
    refused = api.get("/api/v1/specs")
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Bearer")
    problem(refused)
    assert AuditEvent.objects.filter(verb="api_token.revoked", actor=author).exists()


def test_nobody_revokes_someone_elses_token(client, author, make_user, issue_token):
    issued = issue_token(author)
    client.force_login(make_user("mallory"))
    assert client.post(f"/accounts/tokens/{issued.token.pk}/revoke/").status_code == 404
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_an_expired_token_is_refused(author, api_client):
    api = api_client(author)
    ApiToken.objects.filter(pk=api.token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert api.get("/api/v1/specs").status_code == 401


def test_a_deactivated_owners_token_is_refused(author, api_client):
    api = api_client(author)
    author.is_active = False
    author.save()
    assert api.get("/api/v1/specs").status_code == 401


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer srt_not-a-real-token", "Basic dXNlcjpwYXNz", "Token srt_x"],
)
def test_missing_or_wrong_credentials_get_401_problem(header):
    client = Client(headers={"Authorization": header} if header else {})
    response = client.get("/api/v1/specs")
    assert response.status_code == 401
    assert problem(response)["type"].endswith(":unauthenticated")


def test_a_session_cookie_is_not_an_api_credential(client, author):
    client.force_login(author)
    assert client.get("/api/v1/specs").status_code == 401


def test_every_call_is_audited_with_the_token_name_and_last_use_noted(author, api_client):
    api = api_client(author, Scope.READ, name="nightly export")
    assert api.token.last_used_at is None
    api.get("/api/v1/specs?state=draft")
    event = AuditEvent.objects.filter(verb="api.request").latest("id")
    assert event.actor == author
    assert event.data == {
        "token": "nightly export",
        "method": "GET",
        "path": "/api/v1/specs",
        "status": 200,
    }
    api.token.refresh_from_db()
    assert api.token.last_used_at is not None


def test_revoking_twice_changes_nothing(author, issue_token):
    issued = issue_token(author)
    first = actions.revoke_token(token=issued.token, by=author)
    second = actions.revoke_token(token=issued.token, by=author)
    assert first.revoked_at == second.revoked_at
    assert AuditEvent.objects.filter(verb="api_token.revoked").count() == 1
