import threading

import pytest
from django.db import connections

from api.idempotency import forget_old_records
from api.models import IdempotencyRecord, Scope
from core.models import AuditEvent
from specs.models import Spec, SpecVersion
from tests.api.conftest import problem
from tests.conftest import SIMPLE_SPEC

pytestmark = pytest.mark.django_db


def test_a_retried_upload_with_the_same_key_replays_the_first_answer(make_spec, author, api_client):
    spec = make_spec()
    api = api_client(author, Scope.UPLOAD)
    url = f"/api/v1/specs/{spec.slug}/versions?note=retry"
    body = SIMPLE_SPEC + b"\nv2\n"
    first = api.post(url, body, content_type="text/markdown", headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201
    # Meanwhile someone uploads v3: a replay must still say what the first call did.
    api.post(url, body + b"v3\n", content_type="text/markdown")
    retry = api.post(url, body, content_type="text/markdown", headers={"Idempotency-Key": "k-1"})
    assert retry.status_code == 201
    assert retry.content == first.content
    assert retry["Location"] == first["Location"]
    assert retry["Idempotency-Replayed"] == "true"
    assert SpecVersion.objects.filter(spec=spec).count() == 3
    assert AuditEvent.objects.filter(verb="version.uploaded", spec_id=spec.pk).count() == 3


def test_the_same_key_with_another_body_is_422_and_writes_nothing(make_spec, author, api_client):
    spec = make_spec()
    api = api_client(author, Scope.UPLOAD)
    url = f"/api/v1/specs/{spec.slug}/versions"
    api.post(
        url, SIMPLE_SPEC + b"\na\n", content_type="text/markdown", headers={"Idempotency-Key": "k"}
    )
    other = api.post(
        url, SIMPLE_SPEC + b"\nb\n", content_type="text/markdown", headers={"Idempotency-Key": "k"}
    )
    assert other.status_code == 422
    assert problem(other)["type"].endswith(":idempotency-key-reused")
    assert SpecVersion.objects.filter(spec=spec).count() == 2


def test_keys_belong_to_one_token(make_spec, author, api_client):
    spec = make_spec()
    url = f"/api/v1/specs/{spec.slug}/versions"
    one, two = api_client(author, Scope.UPLOAD), api_client(author, Scope.UPLOAD)
    headers = {"Idempotency-Key": "shared"}
    assert (
        one.post(
            url, SIMPLE_SPEC + b"\na\n", content_type="text/markdown", headers=headers
        ).status_code
        == 201
    )
    assert (
        two.post(
            url, SIMPLE_SPEC + b"\nb\n", content_type="text/markdown", headers=headers
        ).status_code
        == 201
    )


def test_a_refusal_is_replayed_too_and_a_json_write_is_idempotent(
    reviewed_spec, people, api_client
):
    api = api_client(people["aisha"])
    url = f"/api/v1/specs/{reviewed_spec.slug}/transitions"
    payload = {"name": "submit", "row_version": Spec.objects.get(pk=reviewed_spec.pk).row_version}
    key = {"Idempotency-Key": "submit-once"}
    first = api.post(url, payload, content_type="application/json", headers=key)
    second = api.post(url, payload, content_type="application/json", headers=key)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert AuditEvent.objects.filter(verb="spec.submit").count() == 1
    # Without the key the same request is a new one, and now stale.
    assert api.post(url, payload, content_type="application/json").status_code == 409


def test_an_invalid_key_is_422(make_spec, author, api_client):
    spec = make_spec()
    response = api_client(author, Scope.UPLOAD).post(
        f"/api/v1/specs/{spec.slug}/versions",
        SIMPLE_SPEC + b"\nx\n",
        content_type="text/markdown",
        headers={"Idempotency-Key": "x" * 256},
    )
    assert response.status_code == 422
    assert SpecVersion.objects.filter(spec=spec).count() == 1


def test_a_server_error_is_not_kept_so_a_retry_runs_again(
    make_spec, author, api_client, monkeypatch
):
    from specs import actions

    spec = make_spec()
    api = api_client(author, Scope.UPLOAD)
    real = actions.upload_version

    def broken(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(actions, "upload_version", broken)
    url = f"/api/v1/specs/{spec.slug}/versions"
    api.raise_request_exception = False
    failed = api.post(
        url, SIMPLE_SPEC + b"\nx\n", content_type="text/markdown", headers={"Idempotency-Key": "k"}
    )
    assert failed.status_code == 500
    assert not IdempotencyRecord.objects.exists()
    monkeypatch.setattr(actions, "upload_version", real)
    retried = api.post(
        url, SIMPLE_SPEC + b"\nx\n", content_type="text/markdown", headers={"Idempotency-Key": "k"}
    )
    assert retried.status_code == 201


@pytest.mark.django_db(transaction=True)
def test_racing_retries_with_one_key_write_once(make_spec, author, api_client):
    spec = make_spec()
    api = api_client(author, Scope.UPLOAD)
    url = f"/api/v1/specs/{spec.slug}/versions"
    barrier, statuses = threading.Barrier(4), []

    def send():
        try:
            barrier.wait()
            response = api.post(
                url,
                SIMPLE_SPEC + b"\nrace\n",
                content_type="text/markdown",
                headers={"Idempotency-Key": "race"},
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses)[0] == 201 and set(statuses) <= {201, 409}
    assert SpecVersion.objects.filter(spec=spec).count() == 2


def test_old_keys_are_forgotten(make_spec, author, api_client):
    import datetime

    from django.utils import timezone

    spec = make_spec()
    api = api_client(author, Scope.UPLOAD)
    api.post(
        f"/api/v1/specs/{spec.slug}/versions",
        SIMPLE_SPEC + b"\nx\n",
        content_type="text/markdown",
        headers={"Idempotency-Key": "old"},
    )
    assert forget_old_records(now=timezone.now()) == 0
    assert forget_old_records(now=timezone.now() + datetime.timedelta(days=2)) == 1


def test_each_token_has_its_own_rate_limit_answered_with_429_and_retry_after(
    author, api_client, settings
):
    settings.API_RATE_LIMIT = (3, 60)
    busy, idle = api_client(author, Scope.READ), api_client(author, Scope.READ)
    assert [busy.get("/api/v1/specs").status_code for _ in range(3)] == [200, 200, 200]
    limited = busy.get("/api/v1/specs")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert problem(limited)["type"].endswith(":rate-limited")
    assert idle.get("/api/v1/specs").status_code == 200


def test_api_uploads_share_the_browsers_upload_allowance(make_spec, author, api_client, settings):
    settings.UPLOAD_RATE_LIMIT = (1, 600)
    spec = make_spec()
    api = api_client(author, Scope.UPLOAD)
    url = f"/api/v1/specs/{spec.slug}/versions"
    assert api.post(url, SIMPLE_SPEC + b"\na\n", content_type="text/markdown").status_code == 201
    limited = api.post(url, SIMPLE_SPEC + b"\nb\n", content_type="text/markdown")
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert SpecVersion.objects.filter(spec=spec).count() == 2
