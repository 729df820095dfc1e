import json

import pytest
from django.db import connections

from core import health


def test_live_always_answers_even_for_an_unknown_host(client):
    response = client.get("/health/live", HTTP_HOST="internal-probe.invalid")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_ready_when_database_and_broker_answer(client):
    response = client.get("/health/ready")
    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_ready_names_the_broker_when_it_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response["Retry-After"]
    body = json.loads(response.content)
    assert set(body["down"]) == {"broker"}


@pytest.mark.django_db(transaction=True)
def test_database_outage_answers_503_then_recovers(make_user):
    from django.db.backends.postgresql.base import DatabaseWrapper
    from django.test import Client

    connection = connections["default"]
    assert isinstance(connection, DatabaseWrapper)
    client = Client(raise_request_exception=False)
    user = make_user()
    client.force_login(user)
    settings_dict = connection.settings_dict
    original_port, original_pool = settings_dict["PORT"], settings_dict["OPTIONS"].get("pool")
    connection.close()
    connection.close_pool()
    settings_dict["PORT"] = "1"  # refused at once
    if original_pool:
        settings_dict["OPTIONS"]["pool"] = {**original_pool, "timeout": 1}
    try:
        page = client.get("/")
        ready = client.get("/health/ready")
    finally:
        connection.close()
        connection.close_pool()
        settings_dict["PORT"] = original_port
        if original_pool:
            settings_dict["OPTIONS"]["pool"] = original_pool
    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    assert b"Back in a moment" in page.content
    assert b"Traceback" not in page.content
    assert ready.status_code == 503
    assert "database" in ready.json()["down"]
    # The database is back: the very next request succeeds, nothing restarted.
    assert client.get("/").status_code == 200
    assert health.check_database() is None
