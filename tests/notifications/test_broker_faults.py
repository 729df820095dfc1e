"""The worker against a real Redis and a real RabbitMQ that go away, and a worker killed mid-task.

The machine's brokers are shared, so the outage is a `FaultProxy` between the worker and the
broker: connections drop and new ones are refused, exactly what a broker restart looks like.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time

import pytest
from django.db import transaction

from core import queueing
from notifications import actions as notification_actions
from notifications.events import Event
from notifications.models import Notification, State
from specs import actions as spec_actions
from specs.models import RenderState, SpecVersion
from tests.conftest import reset_broker_connections, spawn_worker, stop_worker, wait_for
from tests.faultproxy import FaultProxy

# Redis database 5 and a RabbitMQ vhost of our own, so other suites on this machine are not
# disturbed; each test also uses its own queue.
BROKERS = {
    "redis": (6379, "redis://127.0.0.1:{port}/5"),
    "rabbitmq": (5672, "amqp://guest:guest@127.0.0.1:{port}/{vhost}"),
}


def broker_available(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(params=sorted(BROKERS))
def broker(request):
    """(name, proxy, url through the proxy); the test process publishes through it too."""
    from config.celery import app

    name = request.param
    port, template = BROKERS[name]
    if not broker_available(port):
        pytest.skip(f"{name} is not running on 127.0.0.1:{port}")
    proxy = FaultProxy(port).start()
    vhost = "spec-review-tests" if name == "rabbitmq" and ensure_vhost("spec-review-tests") else ""
    url = template.format(port=proxy.port, vhost=vhost)
    original = app.conf.broker_url
    app.conf.broker_url = url
    reset_broker_connections(app)
    try:
        yield name, proxy, url
    finally:
        app.conf.broker_url = original
        reset_broker_connections(app)
        proxy.stop()


def ensure_vhost(vhost: str) -> bool:
    """Our own vhost when rabbitmqctl may create it; else the default one (queues are unique)."""
    for command in (
        ["rabbitmqctl", "add_vhost", vhost],
        ["rabbitmqctl", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
    ):
        try:
            done = subprocess.run(command, capture_output=True, check=False, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return False
        if done.returncode != 0 and b"already exists" not in done.stderr + done.stdout:
            return False
    return True


def worker_env(url: str, **extra: str) -> dict[str, str]:
    return {"CELERY_BROKER_URL": url, **extra}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_rides_out_a_broker_outage_and_delivers_what_waited(
    broker, celery_queue, tmp_path, spec, people, smtp_server, settings
):
    """Issue 9 item 6, with Redis and with RabbitMQ: nobody acts, everything arrives."""
    name, proxy, url = broker
    worker, log = spawn_worker(tmp_path, celery_queue, env=worker_env(url))
    try:
        wait_for(lambda: "ready." in log.read_text(), timeout=60, what=f"worker on {name}")
        proxy.cut()
        time.sleep(8)  # several reconnect attempts fail while the broker is away
        with transaction.atomic():  # the app keeps committing; the publish fails and is logged
            rows = notification_actions.notify(
                event=Event.REVIEW_REQUESTED,
                spec=spec,
                version_number=2,
                actor=people.author,
                recipients=[people.reviewer, people.approver],
                context={},
            )
        assert worker.poll() is None, log.read_text()[-3000:]
        proxy.restore()
        queueing.forget_broker_failure()  # the few seconds of "skip publishing" have passed
        settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 0
        assert len(notification_actions.sweep_due()) == len(rows)  # what beat does every minute
        wait_for(
            lambda: set(Notification.objects.values_list("state", flat=True)) == {State.SENT},
            timeout=90,
            interval=1,
            what=f"delivery after the {name} outage",
        )
        assert worker.poll() is None
    finally:
        stop_worker(worker)
    assert len(smtp_server.messages) == len(rows)


BIG_SPEC = "# Big\n\n## Context\n\n" + "".join(
    f"## Section {n}\n\n| a | b | c |\n|---|---|---|\n| {n} | `x` | **y** |\n\n"
    f"Paragraph {n} with *emphasis*, `code` and a [link](#section-{n}).\n\n"
    for n in range(3000)
)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_render_whose_worker_was_killed_is_redelivered_within_seconds(
    broker, celery_queue, tmp_path, spec, people, settings
):
    """Issue 9 item 9: SIGKILL mid-render; before, Redis held the task for an hour."""
    name, _proxy, url = broker
    visibility = 10  # the production default is 30 s; shorter keeps the test quick
    # A generous render limit: this test is about redelivery, not about a loaded machine's CPU.
    env = worker_env(
        url, CELERY_VISIBILITY_TIMEOUT=str(visibility), SPEC_RENDER_TIME_LIMIT_SECONDS="120"
    )
    # Both workers are up before the upload, so no start-up time is counted; whichever takes
    # the render is killed, the other must get it again.
    workers = [spawn_worker(tmp_path, celery_queue, n, env=env) for n in ("first", "second")]
    try:
        for _, log in workers:
            wait_for(lambda log=log: "ready." in log.read_text(), timeout=90, what="a worker")
        assert len(BIG_SPEC.encode()) > settings.SPEC_INLINE_ANALYSIS_BYTES
        outcome = spec_actions.upload_version(
            spec=spec, data=BIG_SPEC.encode(), uploaded_by=people.author
        )
        version = outcome.version
        taker = wait_for(
            lambda: next(
                (w for w in workers if "specs.analyse_version[" in w[1].read_text()), None
            ),
            timeout=60,
            interval=0.05,
            what="the render to start",
        )
        (victim, _), (_, survivor_log) = taker, next(w for w in workers if w is not taker)
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
        killed_at = time.monotonic()
        assert state_of(version) == RenderState.PENDING  # it died mid-render
        wait_for(
            lambda: "specs.analyse_version[" in survivor_log.read_text(),
            timeout=visibility + 60,
            interval=0.2,
            what=f"the redelivered render on {name}\n{survivor_log.read_text()[-2000:]}",
        )
        redelivered = time.monotonic() - killed_at
        wait_for(lambda: state_of(version) != RenderState.PENDING, timeout=150, what="the render")
    finally:
        for worker, _ in workers:
            if worker.poll() is None:
                stop_worker(worker)
    assert state_of(version) == RenderState.RENDERED
    # Redis: the visibility timeout plus a restore pass; RabbitMQ: when the connection drops.
    assert redelivered < visibility + 15, redelivered


def state_of(version: SpecVersion) -> str:
    return SpecVersion.objects.values_list("render_state", flat=True).get(pk=version.pk)
