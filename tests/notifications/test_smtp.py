"""Delivery against a real SMTP server that refuses, disappears, hangs or answers twice."""

import socket
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from notifications import actions
from notifications.events import Event
from notifications.models import MailServerPause, Notification, State
from specs import permissions

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
    """Time passes: the row's backoff, and any pause of the mail server, are over."""
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    MailServerPause.objects.update(until=timezone.now())


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


def test_after_one_timeout_the_mail_server_is_paused_for_every_worker(
    settings, smtp_server, spec, people, make_user
):
    """Issue 9 item 8: a silent server costs one timeout, not one per queued e-mail."""
    others = [make_user(f"reader{n}") for n in range(30)]
    for person in others:
        permissions.grant(spec, person, permissions.SpecAction.VIEW)
    rows = actions.notify(
        event=Event.REVIEW_REQUESTED,
        spec=spec,
        version_number=2,
        actor=people.author,
        recipients=others,
        context={},
    )
    settings.NOTIFICATIONS_SMTP_PAUSE_SECONDS = 60
    with socket.socket() as silent:  # accepts the connection, never says hello
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        settings.EMAIL_PORT = silent.getsockname()[1]
        settings.EMAIL_TIMEOUT = 0.5
        started = timezone.now()
        outcomes = [actions.deliver(row.pk) for row in rows]
        elapsed = timezone.now() - started
    assert outcomes[0] == "retry"
    assert set(outcomes[1:]) == {"paused"}
    assert elapsed < timedelta(seconds=2), elapsed  # one timeout, then no more waiting
    pause = MailServerPause.objects.get()
    assert "timed out" in pause.reason
    waiting = Notification.objects.filter(pk__in=[row.pk for row in rows[1:]])
    assert {(row.state, row.attempts) for row in waiting} == {(State.PENDING, 0)}
    assert all(row.next_attempt_at and row.next_attempt_at >= pause.until for row in waiting)
    assert actions.sweep_due() == []  # nothing is due while the server is paused

    # The server answers again and the pause is over: everything goes, by the sweep alone.
    settings.EMAIL_PORT = smtp_server.port
    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 0
    Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
        next_attempt_at=timezone.now()
    )
    MailServerPause.objects.update(until=timezone.now())
    for row_id in actions.sweep_due():  # what the published tasks do on a worker
        actions.deliver(row_id)
    assert len(smtp_server.messages) == len(rows)


def test_a_timeout_after_data_is_an_unknown_outcome_and_never_resent(
    settings, smtp_server, pending
):
    # The server has the message but its answer comes too late: maybe delivered, maybe not.
    settings.EMAIL_TIMEOUT = 0.5
    smtp_server.handler.hold.set()
    assert actions.deliver(pending.pk) == "unknown"
    smtp_server.handler.release.set()
    pending.refresh_from_db()
    assert pending.state == State.UNKNOWN and "delivery unknown" in pending.last_error
    assert pending.message_id and str(pending.uuid) in pending.message_id
    elapse_backoff(pending)
    assert actions.sweep_due() == []
    assert actions.deliver(pending.pk) == "not due (unknown)"
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
