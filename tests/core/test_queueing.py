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
