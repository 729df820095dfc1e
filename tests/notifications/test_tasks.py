"""The outbox through a real Celery worker and broker: outages and a worker killed mid-send."""

import signal
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import queueing
from notifications import actions
from notifications.events import Event
from notifications.models import Notification, State
from notifications.tasks import (
    deliver_notification_task,
    send_daily_digests_task,
    sweep_notifications_task,
)
from tests.conftest import reset_broker_connections, spawn_worker, stop_worker, wait_for


def test_beat_sweeps_every_minute_and_looks_for_due_digests_hourly():
    from config.celery import app

    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["sweep-notifications"]["schedule"] == 60.0
    assert schedule["sweep-notifications"]["task"] == sweep_notifications_task.name
    assert schedule["send-daily-digests"]["task"] == send_daily_digests_task.name
    # Hourly: each person's digest goes at their own hour (notifications.scheduling).
    assert schedule["send-daily-digests"]["schedule"].hour == set(range(24))
    assert schedule["send-daily-digests"]["schedule"].minute == {0}
    assert {sweep_notifications_task.name, send_daily_digests_task.name} <= set(app.tasks)


def notify_reviewer(spec, people, **context) -> Notification:
    with transaction.atomic():  # the caller's transaction: the task is published on commit
        (row,) = actions.notify(
            event=Event.REVIEW_REQUESTED,
            spec=spec,
            version_number=2,
            actor=people.author,
            recipients=[people.reviewer],
            context=context,
        )
    return row


def state_of(row: Notification) -> str:
    return Notification.objects.values_list("state", flat=True).get(pk=row.pk)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_at_commit_the_row_commits_and_the_sweep_delivers_it(
    smtp_server, celery_worker_process, spec, people, caplog, settings
):
    from config.celery import app

    worker_broker = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    reset_broker_connections(app)
    try:
        row = notify_reviewer(spec, people)
    finally:
        app.conf.broker_url = worker_broker
        reset_broker_connections(app)
    assert "could not publish task" in caplog.text
    assert state_of(row) == State.PENDING  # committed, waiting for a nudge

    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 0
    queueing.forget_broker_failure()  # a minute later, when beat sweeps, the pause is long over
    assert actions.sweep_due() == [row.pk]  # what beat runs every minute
    wait_for(lambda: state_of(row) == State.SENT, timeout=60, what="the sweep's delivery")
    assert len(smtp_server.messages) == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_sends_nothing_twice(
    smtp_server, celery_queue, celery_worker_process, spec, people, tmp_path
):
    first_worker, first_log = celery_worker_process
    smtp_server.handler.hold.set()  # the server takes the message and never answers
    row = notify_reviewer(spec, people)
    assert smtp_server.handler.holding.wait(60), first_log.read_text()[-2000:]
    first_worker.send_signal(signal.SIGKILL)
    first_worker.wait(10)
    smtp_server.handler.release.set()
    smtp_server.handler.hold.clear()
    assert state_of(row) == State.SENDING

    second_worker, second_log = spawn_worker(tmp_path, celery_queue, "second")
    try:
        # A broker redelivers the unacknowledged task: the live lease turns it away.
        deliver_notification_task.delay(row.pk)
        wait_for(
            lambda: "not due (sending)" in second_log.read_text(),
            timeout=60,
            what="the redelivered task",
        )
        assert state_of(row) == State.SENDING

        # Once the lease has run out the sweep settles the row as failed, never re-sends it.
        Notification.objects.filter(pk=row.pk).update(
            claimed_until=timezone.now() - timedelta(seconds=1)
        )
        sweep_notifications_task.delay()
        wait_for(lambda: state_of(row) == State.UNKNOWN, timeout=30, what="the sweep")
        assert "delivery unknown" in Notification.objects.get(pk=row.pk).last_error

        # The new worker does send: the next notification arrives, the first still only once.
        later = notify_reviewer(spec, people, excerpt="a later one")
        wait_for(lambda: state_of(later) == State.SENT, timeout=30, what="the next delivery")
    finally:
        stop_worker(second_worker)
    message_ids = [message["Message-ID"] for message in smtp_server.messages]
    assert len(message_ids) == 2 and len(set(message_ids)) == 2
    assert str(row.uuid) in message_ids[0]
