import pytest
from django.db import transaction

from core import queueing
from core.tasks import heartbeat_task
from tests.conftest import reset_broker_connections


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_does_not_break_the_commit(settings, caplog):
    from config.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    reset_broker_connections(app)
    try:
        with transaction.atomic():
            queueing.publish_on_commit(heartbeat_task)
        assert "could not publish task" in caplog.text
    finally:
        app.conf.broker_url = original
        reset_broker_connections(app)


@pytest.mark.django_db(transaction=True)
def test_after_one_failed_publish_the_next_ones_do_not_wait_for_the_broker(caplog):
    """Twenty notifications while the broker is away cost one publish timeout, not twenty."""
    import time

    from config.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    reset_broker_connections(app)
    try:
        assert queueing.publish(heartbeat_task) is False
        started = time.monotonic()
        assert not any(queueing.publish(heartbeat_task) for _ in range(20))
        assert time.monotonic() - started < 0.5
        assert "left to the sweep" in caplog.text
    finally:
        app.conf.broker_url = original
        reset_broker_connections(app)
