"""Fault drill: 200 notifications per case through a real broker, SMTP server and PostgreSQL.

    .venv/bin/python bench/fault_drill.py [--count 200] [--outage 15] [--deadline 900]

Everything runs on 127.0.0.1 and stops by itself: a private PostgreSQL cluster (started here
with the machine's binaries, so it can be restarted without touching anyone else's), Redis
database 6 of the local Redis behind a fault proxy, an aiosmtpd server behind a fault proxy,
and `make run`'s supervisor running a render worker, a mail worker and beat. Cases:

  broker-down        the broker drops every connection and refuses new ones
  smtp-down          the mail server refuses connections
  smtp-silent        the mail server accepts connections and never answers (renders must flow)
  worker-killed      SIGKILL of the whole mail worker mid-batch (the supervisor restarts it)
  database-restarted PostgreSQL stopped (fast) mid-batch and started again

Columns: sent = distinct e-mails that reached the SMTP server; lost = never arrived and nothing
will send them; duplicated = extra copies received; unknown = rows marked "delivery unknown"
for a person to decide (arrived or not); stuck = still pending/sending at the deadline;
recover = seconds from the end of the fault until every row was settled.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))
from drill_parts import PrivatePostgres, Sink, header, row, wait_until
from supervise import Supervisor

from tests.faultproxy import FaultProxy

PG_PORT, SMTP_PORT, REDIS_PORT, REDIS_DB = 55401, 2531, 6379, 6
VENV_BIN = Path(sys.executable).parent
SETTLED = {"sent", "failed", "unknown", "skipped", "held"}


def drill_environment(broker: FaultProxy, smtp: FaultProxy, home: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/drill",
        "DEBUG": "0",
        "SECRET_KEY": "fault-drill-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{broker.port}/{REDIS_DB}",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_TIMEOUT": "5",
        "SPEC_REVIEW_DATA_DIR": str(home),
        # Shortened so a case ends in a minute; the mechanisms are the production ones.
        "NOTIFICATIONS_SMTP_PAUSE_SECONDS": "5",
        "NOTIFICATIONS_SWEEP_SECONDS": "5",
        "NOTIFICATIONS_SWEEP_GRACE_SECONDS": "5",
        "NOTIFICATIONS_RETRY_BASE_SECONDS": "5",
        "NOTIFICATIONS_SEND_LEASE_SECONDS": "20",
        "LOG_LEVEL": "ERROR",  # the drill's own output is its table; workers log to files
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--outage", type=float, default=15, help="seconds each fault lasts")
    parser.add_argument("--deadline", type=float, default=900, help="the whole drill, seconds")
    args = parser.parse_args()
    started = time.monotonic()
    postgres = PrivatePostgres(PG_PORT)
    broker = FaultProxy(REDIS_PORT).start()
    sink = Sink(SMTP_PORT)
    smtp = FaultProxy(SMTP_PORT).start()
    supervisor: Supervisor | None = None
    watcher_stop = threading.Event()
    try:
        postgres.start(first=True)
        sink.controller.start()
        env = drill_environment(broker, smtp, postgres.home)
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", "--no-input", "-v", "0")
        flush_redis()
        world = seed(args.count)
        supervisor = start_processes(env, postgres.home)
        threading.Thread(target=watch, args=(supervisor, watcher_stop), daemon=True).start()
        wait_for_log(postgres.home / "mailer.log", "ready.", 60)
        wait_for_log(postgres.home / "worker.log", "ready.", 60)
        print(f"drill: {args.count} notifications per case, faults last {args.outage:.0f} s")
        print(header())
        for name, case in cases(broker, smtp, postgres, supervisor, args.outage).items():
            if time.monotonic() - started > args.deadline:
                print(f"{name:<20} skipped: the drill's deadline passed")
                continue
            print(row(name, run_case(name, case, world, sink)), flush=True)
    finally:
        watcher_stop.set()
        if supervisor is not None:
            supervisor.stop(grace=10)
        with contextlib.suppress(Exception):
            sink.controller.stop()
        smtp.stop()
        broker.stop()
        with contextlib.suppress(Exception):
            flush_redis()
        postgres.remove()
    return 0


def flush_redis() -> None:
    import redis

    redis.Redis(host="127.0.0.1", port=REDIS_PORT, db=REDIS_DB).flushdb()


def seed(count: int) -> dict:
    from django.contrib.auth import get_user_model

    from specs import actions, permissions
    from specs.models import Profile

    User = get_user_model()
    author = User.objects.create_user("drill-author", email="author@example.com")
    readers = User.objects.bulk_create(
        User(username=f"reader{n}", email=f"reader{n}@example.com") for n in range(count)
    )
    spec = actions.create_spec(
        title="Drill", slug="drill", profile=Profile.objects.get(name="generic"), author=author
    )
    actions.upload_version(spec=spec, data=b"# Drill\n\n## Context\n\nOne.\n", uploaded_by=author)
    for person in readers:
        permissions.grant(spec, person, permissions.SpecAction.VIEW)
    return {"author": author, "readers": readers, "spec": spec}


def start_processes(env: dict[str, str], home: Path) -> Supervisor:
    celery = [str(VENV_BIN / "celery"), "-A", "config"]
    commands = {
        "worker": [*celery, "worker", "-Q", "celery", "-c", "1", "-n", "renders@%h"],
        "mailer": [*celery, "worker", "-Q", "celery-mail", "-c", "2", "-n", "mail@%h"],
        "beat": [*celery, "beat", "--schedule", str(home / "beat-schedule")],
    }
    supervisor = Supervisor(
        commands,
        cwd=ROOT,
        env={**os.environ, **env, "LOG_LEVEL": "INFO"},
        say=lambda message: None,
        log_dir=home,
    )
    supervisor.start()
    return supervisor


def watch(supervisor: Supervisor, stop: threading.Event) -> None:
    while not stop.is_set():
        supervisor.check()
        time.sleep(0.5)


def wait_for_log(path: Path, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(errors="replace"):
            return
        time.sleep(0.3)
    tail = path.read_text(errors="replace")[-2000:] if path.exists() else "(no log)"
    raise SystemExit(f"drill: {path.name} never said {text!r}:\n{tail}")


Case = tuple[Callable[[], None], Callable[[], None], str]  # (start fault, end fault, when)


def cases(broker, smtp, postgres, supervisor, outage: float) -> dict[str, Case]:
    def kill_mailer() -> None:
        process = supervisor.children["mailer"].process
        if process is not None:
            os.killpg(process.pid, signal.SIGKILL)  # the whole worker: parent and children

    def silence() -> None:
        smtp.silent = True

    def after(seconds: float, end: Callable[[], None]) -> Callable[[], None]:
        def wait_then_end() -> None:
            time.sleep(seconds)
            end()

        return wait_then_end

    return {
        "broker-down": (broker.cut, after(outage, broker.restore), "before"),
        "smtp-down": (smtp.cut, after(outage, smtp.restore), "before"),
        "smtp-silent": (silence, after(outage, smtp.restore), "before"),
        "worker-killed": (kill_mailer, after(0, lambda: None), "during"),
        "database-restarted": (postgres.stop, after(5, postgres.start), "during"),
    }


def run_case(name: str, case: Case, world: dict, sink: Sink) -> dict:
    from django.db import connections

    from notifications import actions
    from notifications.circuit import paused_until
    from notifications.emails import message_id

    start_fault, end_fault, when = case
    while paused_until() is not None:  # the previous case's pause must not colour this one
        time.sleep(0.5)
    if when == "before":
        start_fault()
    rows = actions.notify(
        event="review_requested",
        spec=world["spec"],
        version_number=1,
        actor=world["author"],
        recipients=world["readers"],
        context={"excerpt": f"drill case {name} at {time.time()}"},
    )
    ids = {row.pk: message_id(row) for row in rows}
    render = upload_big_version(world, name) if name == "smtp-silent" else None
    if when == "during":
        wait_until(lambda: sum(sink.received[m] > 0 for m in ids.values()) >= len(ids) // 4, 60)
        start_fault()
    end_fault()
    connections.close_all()
    recovered_from = time.monotonic()
    states = wait_until(lambda: settled(ids), 120) or current_states(ids)
    recovery = time.monotonic() - recovered_from
    arrived = {pk for pk, mid in ids.items() if sink.received[mid] > 0}
    stuck = sum(state not in SETTLED for state in states.values())
    result = {
        "sent": len(arrived),
        "lost": sum(pk not in arrived and states.get(pk) in SETTLED for pk in ids),
        "duplicated": sum(max(sink.received[mid] - 1, 0) for mid in ids.values()),
        "unknown": sum(state == "unknown" for state in states.values()),
        "stuck": stuck,
        "recover": recovery if not stuck else float("nan"),
    }
    if render is not None:
        result["note"] = render_note(render)
    return result


def upload_big_version(world: dict, name: str) -> dict:
    """A render queued while mail is stalled; a thread notes how long it took."""
    from specs import actions

    body = "".join(f"## Part {n}\n\nText {n} for {name}, *emphasis*.\n\n" for n in range(4000))
    outcome = actions.upload_version(
        spec=world["spec"], data=f"# Drill\n\n{body}".encode(), uploaded_by=world["author"]
    )
    timing: dict = {"uploaded": time.monotonic()}

    def note_render() -> None:
        from django.db import connection

        from specs.models import RenderState, SpecVersion

        pending = SpecVersion.objects.filter(
            pk=outcome.version.pk, render_state=RenderState.PENDING
        )
        if wait_until(lambda: not pending.exists(), 120):
            timing["rendered"] = time.monotonic()
        connection.close()

    timing["thread"] = threading.Thread(target=note_render, daemon=True)
    timing["thread"].start()
    return timing


def render_note(timing: dict) -> str:
    timing["thread"].join(5)
    if "rendered" not in timing:
        return "a 100 KB render queued during the silence was not done"
    seconds = timing["rendered"] - timing["uploaded"]
    return f"a 100 KB render queued during the silence was done in {seconds:.1f} s"


def settled(ids: dict[int, str]) -> dict[int, str] | None:
    states = current_states(ids)
    return states if states and all(state in SETTLED for state in states.values()) else None


def current_states(ids: dict[int, str]) -> dict[int, str]:
    from django.db import connections

    from notifications.models import Notification

    try:
        return dict(Notification.objects.filter(pk__in=ids).values_list("pk", "state"))
    except Exception:  # the database is still coming back: ask again on the next round
        connections.close_all()
        return {}


if __name__ == "__main__":
    sys.exit(main())
