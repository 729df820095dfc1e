"""Delivery against a real SMTP server that refuses, disappears, hangs or answers twice."""

import socket
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from notifications import actions
from notifications.events import Event
from notifications.models import Notification, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(spec, people):
    """One immediate notification, written but not yet sent."""
    (row,) = actions.notify(
        event=Event.REVIEW_REQUESTED,
        spec=spec,
        version_number=2,
        actor=people.author,
        recipients=[people.reviewer],
        context={},
    )
    return row


def elapse_backoff(row: Notification) -> None:
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())


def test_a_temporary_refusal_is_retried_with_backoff_and_sent_once(smtp_server, pending):
    smtp_server.handler.data_replies.append("451 4.3.0 Try again later")
    before = timezone.now()
    assert actions.deliver(pending.pk) == "retry"
    pending.refresh_from_db()
    assert (pending.state, pending.attempts) == (State.PENDING, 1)
    assert "451" in pending.last_error
    assert pending.next_attempt_at >= before + timedelta(seconds=60)
    assert actions.deliver(pending.pk).startswith("not due")  # the backoff holds it back

    elapse_backoff(pending)
    assert actions.deliver(pending.pk) == "sent"
    assert actions.deliver(pending.pk) == "not due (sent)"
    pending.refresh_from_db()
    assert (pending.state, pending.attempts) == (State.SENT, 2)
    assert len(smtp_server.messages) == 1


def test_a_permanent_refusal_fails_at_once_and_is_not_retried(smtp_server, pending):
    smtp_server.handler.rcpt_replies.append("550 5.1.1 No such user here")
    assert actions.deliver(pending.pk) == "failed"
    pending.refresh_from_db()
    assert pending.state == State.FAILED and pending.attempts == 1
    assert pending.last_error == "RCPT TO ravi@example.com: 550 5.1.1 No such user here"
    elapse_backoff(pending)
    assert actions.deliver(pending.pk) == "not due (failed)"
    assert smtp_server.messages == []


def test_giving_up_after_the_last_attempt(smtp_server, pending, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    smtp_server.handler.data_replies.extend(["421 4.7.0 Busy", "452 4.2.2 Mailbox full"])
    assert actions.deliver(pending.pk) == "retry"
    elapse_backoff(pending)
    assert actions.deliver(pending.pk) == "failed"
    pending.refresh_from_db()
    assert pending.last_error.startswith("gave up after 2 attempts: DATA: 452")


def test_a_mail_server_that_is_down_for_a_while_loses_nothing(smtp_server, pending):
    smtp_server.stop()  # the port is closed: connection refused
    assert actions.deliver(pending.pk) == "retry"
    elapse_backoff(pending)
    assert actions.deliver(pending.pk) == "retry"
    pending.refresh_from_db()
    assert pending.attempts == 2 and "ConnectionRefusedError" in pending.last_error

    smtp_server.start()
    elapse_backoff(pending)
    assert actions.deliver(pending.pk) == "sent"
    assert len(smtp_server.messages) == 1


def test_a_silent_mail_server_cannot_hang_the_sender(settings, smtp_server, pending):
    # Accepts the TCP connection, never says hello.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings.EMAIL_PORT = silent.getsockname()[1]
        settings.EMAIL_TIMEOUT = 0.5
        started = timezone.now()
        assert actions.deliver(pending.pk) == "retry"
    assert timezone.now() - started < timedelta(seconds=3)
    pending.refresh_from_db()
    assert "connect" in pending.last_error and "timed out" in pending.last_error


def test_a_timeout_after_data_is_an_unknown_outcome_and_never_resent(
    settings, smtp_server, pending
):
    # The server has the message but its answer comes too late: maybe delivered, maybe not.
    settings.EMAIL_TIMEOUT = 0.5
    smtp_server.handler.hold.set()
    assert actions.deliver(pending.pk) == "failed"
    smtp_server.handler.release.set()
    pending.refresh_from_db()
    assert pending.state == State.FAILED and "delivery unknown" in pending.last_error
    elapse_backoff(pending)
    assert actions.sweep_due() == []
    assert actions.deliver(pending.pk) == "not due (failed)"
    assert len(smtp_server.messages) == 1


def test_the_same_task_delivered_twice_sends_once(smtp_server, pending):
    assert [actions.deliver(pending.pk), actions.deliver(pending.pk)] == ["sent", "not due (sent)"]
    assert len(smtp_server.messages) == 1


def deliver_in_another_connection(notification_id: int) -> None:
    try:
        actions.deliver(notification_id)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_redelivered_task_leaves_a_row_another_worker_is_sending_alone(smtp_server, pending):
    # The first worker holds the claim (its lease still runs) while SMTP is slow to answer.
    smtp_server.handler.hold.set()
    first = threading.Thread(target=deliver_in_another_connection, args=(pending.pk,))
    first.start()
    try:
        assert smtp_server.handler.holding.wait(5)
        assert actions.deliver(pending.pk) in {"busy", "not due (sending)"}
    finally:
        smtp_server.handler.release.set()
        first.join(10)
    assert len(smtp_server.messages) == 1
