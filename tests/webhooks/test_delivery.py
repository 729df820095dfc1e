"""Webhooks against a real local HTTP receiver, including one that is down for a while."""

import datetime
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.utils import timezone

from core.models import AuditEvent
from reviews import actions as review_actions
from specs import actions as spec_actions
from specs.models import Spec
from tests.conftest import RACI_SPEC
from webhooks import actions, delivery, signing
from webhooks.models import Delivery, DeliveryState, Event

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server on 127.0.0.1 that records every POST (headers and body)."""

    def __init__(self, port: int = 0) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def events(self) -> list[dict]:
        return [json.loads(body) for _, body in self.received]


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def subscribe(spec, owner, url, events=tuple(Event.values)):
    return actions.subscribe(owner=owner, url=url, events=list(events), spec=spec)


def test_an_upload_is_delivered_signed_once_per_event(make_spec, author, receiver):
    spec = make_spec()
    subscription = subscribe(spec, author, receiver.url)
    spec_actions.upload_version(spec=spec, data=RACI_SPEC.encode(), uploaded_by=author, note="v2")
    assert delivery.deliver_due() == 2
    assert delivery.deliver_due() == 0  # nothing twice
    by_type = {event["type"]: event for event in receiver.events()}
    assert set(by_type) == {"version.uploaded", "lint.finished"}
    assert by_type["version.uploaded"]["version"] == 2
    assert by_type["version.uploaded"]["data"]["note"] == "v2"
    assert by_type["lint.finished"]["spec"] == {"slug": spec.slug, "title": spec.title}
    for headers, body in receiver.received:
        assert signing.verify(subscription.secret, headers, body)
        assert not signing.verify("whsec_wrong", headers, body)
        assert headers["webhook-id"] == json.loads(body)["id"]


def test_a_change_that_rolls_back_sends_nothing(make_spec, author, receiver):
    spec = make_spec()
    subscribe(spec, author, receiver.url)
    with pytest.raises(RuntimeError), transaction.atomic():
        spec_actions.upload_version(spec=spec, data=RACI_SPEC.encode(), uploaded_by=author)
        raise RuntimeError("the request failed after the upload")
    assert not Delivery.objects.exists()


def test_a_receiver_down_for_a_while_gets_every_event_once_after_retries(make_spec, author):
    spec = make_spec()
    port = free_port()
    subscribe(spec, author, f"http://127.0.0.1:{port}/hook")
    spec_actions.upload_version(spec=spec, data=RACI_SPEC.encode(), uploaded_by=author)
    start = timezone.now()
    assert delivery.deliver_due(now=start) == 0  # connection refused: nobody listens
    rows = list(Delivery.objects.all())
    assert {(r.state, r.attempts) for r in rows} == {("pending", 1)}
    assert all(r.next_attempt_at == start + datetime.timedelta(seconds=30) for r in rows)
    assert "refused" in rows[0].last_error.lower()
    assert delivery.deliver_due(now=start + datetime.timedelta(seconds=10)) == 0  # backing off
    assert delivery.deliver_due(now=start + datetime.timedelta(seconds=31)) == 0  # still down
    assert {r.attempts for r in Delivery.objects.all()} == {2}
    server = Receiver(port)  # back after a minute
    try:
        later = start + datetime.timedelta(seconds=95)
        assert delivery.deliver_due(now=later) == 2
        assert delivery.deliver_due(now=later + datetime.timedelta(hours=2)) == 0
        assert sorted(e["type"] for e in server.events()) == ["lint.finished", "version.uploaded"]
        assert len({h["webhook-id"] for h, _ in server.received}) == 2
    finally:
        server.stop()
    assert {r.state for r in Delivery.objects.all()} == {DeliveryState.DELIVERED}


def test_state_changes_and_sign_offs_are_announced(reviewed_spec, people, receiver):
    subscribe(
        reviewed_spec, people["aisha"], receiver.url, [Event.STATE_CHANGED, Event.SIGNOFF_RECORDED]
    )
    review_actions.transition(
        spec=reviewed_spec,
        name="submit",
        by=people["aisha"],
        expected_row_version=Spec.objects.get(pk=reviewed_spec.pk).row_version,
    )
    review_actions.sign_off(
        spec=reviewed_spec,
        area="Engineering",
        role="A",
        decision="approve",
        comment="",
        by=people["jonas"],
        expected_version=1,
    )
    delivery.deliver_due()
    events = receiver.events()
    assert [e["type"] for e in events] == ["spec.state_changed", "signoff.recorded"]
    assert (events[0]["data"]["verb"], events[0]["data"]["to"]) == ("spec.submit", "in_review")
    assert events[1]["data"]["area"] == "Engineering"


def test_site_wide_subscriptions_hear_every_spec_and_others_only_theirs(
    make_spec, author, receiver
):
    one, two = make_spec("one"), make_spec("two")
    subscribe(None, author, receiver.url, [Event.VERSION_UPLOADED])
    subscribe(one, author, receiver.url, [Event.VERSION_UPLOADED])
    spec_actions.upload_version(spec=two, data=RACI_SPEC.encode(), uploaded_by=author)
    delivery.deliver_due()
    assert [e["spec"]["slug"] for e in receiver.events()] == ["two"]


def test_redeliver_sends_the_same_event_id_again_and_is_audited(make_spec, author, receiver):
    spec = make_spec()
    subscribe(spec, author, receiver.url, [Event.VERSION_UPLOADED])
    spec_actions.upload_version(spec=spec, data=RACI_SPEC.encode(), uploaded_by=author)
    delivery.deliver_due()
    row = Delivery.objects.get()
    actions.redeliver(delivery=row, by=author)
    delivery.deliver_due()
    ids = [headers["webhook-id"] for headers, _ in receiver.received]
    assert ids == [str(row.event_id), str(row.event_id)]
    assert AuditEvent.objects.filter(verb="webhook.redelivered").count() == 1


def test_a_receiver_that_keeps_failing_is_given_up_on(make_spec, author, settings):
    spec = make_spec()
    subscribe(spec, author, f"http://127.0.0.1:{free_port()}/hook", [Event.VERSION_UPLOADED])
    spec_actions.upload_version(spec=spec, data=RACI_SPEC.encode(), uploaded_by=author)
    now = timezone.now()
    for _ in range(delivery.MAX_ATTEMPTS):
        delivery.deliver_due(now=now)
        now += datetime.timedelta(hours=1)
    row = Delivery.objects.get()
    assert (row.state, row.attempts) == ("failed", delivery.MAX_ATTEMPTS)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_after_commit(celery_worker_process, make_spec, author, receiver):
    from tests.conftest import wait_for

    spec = make_spec()
    subscribe(spec, author, receiver.url, [Event.VERSION_UPLOADED])
    spec_actions.upload_version(spec=spec, data=RACI_SPEC.encode(), uploaded_by=author)
    assert celery_worker_process  # a worker on the real broker drains the outbox
    # The receiver has the body before the worker hears its answer: wait for the recorded outcome.
    wait_for(
        lambda: Delivery.objects.filter(state=DeliveryState.DELIVERED).exists(),
        timeout=60,
        what="the worker's delivery",
    )
    assert [e["type"] for e in receiver.events()] == ["version.uploaded"]
