"""/metrics: who may read it, and what the scrape-time gauges say about the work.

The sum across gunicorn workers is covered with real processes in
tests/scripts/test_production_web.py.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import WorkerHeartbeat
from notifications.models import State

pytestmark = pytest.mark.django_db


def sample(text: str, name: str, labels: str = "") -> float:
    pattern = rf"^{re.escape(name)}{re.escape('{' + labels + '}') if labels else ''} (\S+)$"
    found = re.search(pattern, text, re.MULTILINE)
    assert found, f"{name}{{{labels}}} not in:\n{text[:4000]}"
    return float(found.group(1))


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = "scrape-me-0123456789"
    return settings.METRICS_TOKEN


def test_strangers_and_people_get_404_scrapers_and_staff_get_metrics(client, make_user, token):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-it").status_code == 404
    client.force_login(make_user("plain"))
    assert client.get("/metrics").status_code == 404

    client.logout()
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    client.force_login(make_user("operator", is_staff=True))
    assert client.get("/metrics").status_code == 200


def test_an_empty_token_setting_lets_no_bearer_in(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_requests_are_counted_per_view_with_their_sql(client, token):
    def login_count(text):
        labels = 'method="GET",status="200",view="accounts:login"'
        found = re.search(
            rf"^spec_review_http_requests_total\{{{re.escape(labels)}\}} (\S+)$", text, re.M
        )
        return float(found.group(1)) if found else 0.0

    before = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}").content.decode()
    for _ in range(3):
        assert client.get("/accounts/login/").status_code == 200
    assert client.get("/no-such-page").status_code == 404
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}").content.decode()
    assert login_count(text) - login_count(before) == 3
    assert sample(text, "spec_review_http_requests_total",
                  'method="GET",status="404",view="<unmatched>"') >= 1  # fmt: skip
    assert sample(text, "spec_review_http_request_duration_seconds_count",
                  'view="accounts:login"') >= 3  # fmt: skip
    assert sample(text, "spec_review_http_request_sql_queries_count", 'view="accounts:login"') >= 3


def test_outbox_backlog_by_state_and_a_stuck_worker_show_at_scrape_time(
    client, token, people, reviewed_spec
):
    from notifications.actions import notify
    from notifications.events import Event

    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}").content.decode()
    pending_before = sample(text, "spec_review_outbox_backlog", 'outbox="email",state="pending"')
    assert sample(text, "spec_review_worker_heartbeat_age_seconds") == -1  # never seen

    written = notify(
        event=Event.BLOCKING_COMMENT_ADDRESSED,
        spec=reviewed_spec,
        version_number=1,
        actor=people["aisha"],
        recipients=[people["jonas"], people["sofia"], people["kenji"]],
    )
    assert len(written) == 3
    written[0].__class__.objects.filter(pk=written[0].pk).update(state=State.UNKNOWN)
    WorkerHeartbeat.objects.create(
        worker="renders@stuck", seen_at=timezone.now() - timedelta(minutes=7)
    )

    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}").content.decode()
    pending = sample(text, "spec_review_outbox_backlog", 'outbox="email",state="pending"')
    assert pending - pending_before == len(written) - 1
    assert sample(text, "spec_review_outbox_backlog", 'outbox="email",state="unknown"') == 1
    assert 420 <= sample(text, "spec_review_worker_heartbeat_age_seconds") < 480
    assert sample(text, "spec_review_database_up") == 1


def test_queue_depth_counts_what_waits_for_a_worker(client, token, celery_queue):
    from core.tasks import heartbeat_task as heartbeat

    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}").content.decode()
    assert sample(text, "spec_review_queue_depth", f'queue="{celery_queue}"') == 0
    for _ in range(3):
        heartbeat.apply_async(queue=celery_queue)
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}").content.decode()
    assert sample(text, "spec_review_queue_depth", f'queue="{celery_queue}"') == 3
    assert sample(text, "spec_review_queue_depth", f'queue="{celery_queue}-mail"') == 0


def test_a_broker_that_does_not_answer_shows_as_minus_one(client, token, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}").content.decode()
    assert sample(text, "spec_review_queue_depth", 'queue="celery"') == -1


def test_render_and_lint_durations_are_observed(generic_profile):
    from core.metrics import LINT_SECONDS, RENDER_SECONDS
    from specs.analysis import analyse

    def count(histogram):
        return next(
            s.value for m in histogram.collect() for s in m.samples if s.name.endswith("_count")
        )

    renders, lints = count(RENDER_SECONDS), count(LINT_SECONDS)
    analyse("# Title\n\nSome text.\n", profile=generic_profile)
    assert count(RENDER_SECONDS) == renders + 1
    assert count(LINT_SECONDS) == lints + 1


@pytest.mark.django_db(transaction=True)
def test_with_the_database_down_a_scraper_still_gets_its_numbers(token, settings):
    """Runbook, database down: /metrics answers 200 with spec_review_database_up 0."""
    from django.db import connections
    from django.test import Client

    from core import dbstate

    connection = connections["default"]
    settings_dict = connection.settings_dict
    settings.DATABASE_DOWN_RECHECK_SECONDS = 60
    original_port, original_pool = settings_dict["PORT"], settings_dict["OPTIONS"].get("pool")
    connection.close()
    connection.close_pool()  # type: ignore[attr-defined]
    settings_dict["PORT"] = "1"  # refused at once
    if original_pool:
        settings_dict["OPTIONS"]["pool"] = {**original_pool, "timeout": 1}
    client = Client(raise_request_exception=False)
    try:
        first = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
        again = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
        page = client.get("/accounts/login/")
    finally:
        connection.close()
        connection.close_pool()  # type: ignore[attr-defined]
        settings_dict["PORT"] = original_port
        if original_pool:
            settings_dict["OPTIONS"]["pool"] = original_pool
        dbstate.forget()
    assert page.status_code == 503  # people get the friendly page …
    for response in (first, again):  # … the scraper gets the outage as a number
        assert response.status_code == 200
        text = response.content.decode()
        assert sample(text, "spec_review_database_up") == 0
        assert "spec_review_outbox_backlog" not in text
        assert re.search(r"^spec_review_queue_depth\{", text, re.MULTILINE)
