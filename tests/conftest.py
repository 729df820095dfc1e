import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
_usernames = itertools.count(1)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's deliberate slowness is for attackers, not for creating 20 users per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def forget_outages():
    # core.dbstate and core.queueing remember an outage per process for a few seconds; one
    # test's outage is not the next one's.
    from core import dbstate, queueing

    dbstate.forget()
    queueing.forget_broker_failure()
    yield
    dbstate.forget()
    queueing.forget_broker_failure()


@pytest.fixture(scope="session", autouse=True)
def scratch_filesystem_broker(tmp_path_factory):
    """What the tests queue on the filesystem broker stays in this session's scratch folder,
    never in .data/broker where `make run`'s workers would find it (`make test` already points
    CELERY_FILESYSTEM_BROKER_DIR elsewhere; this covers a bare `pytest`)."""
    from config.celery import app

    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        yield
        return
    if os.environ.get("CELERY_FILESYSTEM_BROKER_DIR"):
        yield
        return
    folder = tmp_path_factory.mktemp("broker")
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir()
    os.environ["CELERY_FILESYSTEM_BROKER_DIR"] = str(folder)  # for the processes tests start
    app.conf.broker_transport_options = {
        **app.conf.broker_transport_options,
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
    }
    reset_broker_connections(app)
    try:
        yield
    finally:
        del os.environ["CELERY_FILESYSTEM_BROKER_DIR"]


@pytest.fixture
def make_user(django_user_model):
    def make(username: str | None = None, password: str = "correct horse battery", **fields):
        username = username or f"user{next(_usernames)}"
        fields.setdefault("email", f"{username}@example.com")
        return django_user_model.objects.create_user(username=username, password=password, **fields)

    return make


def database_url_for(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def celery_queue(transactional_db, tmp_path):
    """A private queue (and, for the filesystem broker, private folders) for one test's workers.

    The broker is CELERY_BROKER_URL when set (Redis or RabbitMQ), else kombu's filesystem
    transport in a private folder; the test process publishes to the same place. Yields the
    queue name; start workers on it with `spawn_worker`.
    """
    from config.celery import app

    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    transport_options = app.conf.broker_transport_options
    # A publish by an earlier test may have left a pooled connection to other folders.
    reset_broker_connections(app)
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        folder = tmp_path / "broker"
        for sub in ("queue", "processed", "control"):
            (folder / sub).mkdir(parents=True)
        app.conf.broker_transport_options = {
            **app.conf.broker_transport_options,
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),
        }
    app.conf.task_default_queue = queue
    try:
        yield queue
    finally:
        app.conf.task_default_queue = "celery"
        app.conf.broker_transport_options = transport_options
        reset_broker_connections(app)


def spawn_worker(
    tmp_path, queue: str, name: str = "worker", *, env: dict | None = None, pool: str = "solo"
) -> tuple[subprocess.Popen, Path]:
    """A real Celery worker process on the test's queue (and its mail queue) and database."""
    from core.queueing import mail_queue_name

    environment = dict(os.environ)
    environment["DATABASE_URL"] = database_url_for(settings.DATABASES["default"]["NAME"])
    environment["DATABASE_POOL"] = "0"
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        environment["SPEC_REVIEW_DATA_DIR"] = str(tmp_path)
        environment["CELERY_FILESYSTEM_BROKER_DIR"] = str(tmp_path / "broker")  # celery_queue's
    environment.update(env or {})
    log = tmp_path / f"{name}.log"
    with log.open("w") as out:
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "--pool", pool, "--concurrency", "1",
                "--queues", f"{queue},{mail_queue_name(queue)}",
                "--hostname", f"{name}-{time.monotonic_ns()}@%h",
                "--without-heartbeat", "--without-gossip", "--without-mingle",
                "--loglevel", "INFO",
            ],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    return worker, log


def stop_worker(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


@pytest.fixture
def celery_worker_process(celery_queue, tmp_path):
    """A real Celery worker process on the real broker, talking to the test database."""
    worker, log = spawn_worker(tmp_path, celery_queue)
    try:
        yield worker, log
    finally:
        stop_worker(worker)


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def reset_broker_connections(app) -> None:
    """Drop the producer connections a test opened, so the next publish connects afresh."""
    app.pool.force_close_all()
    app._after_fork()  # Celery's own way to forget its pools (what a forked child does)


SIMPLE_SPEC = b"""# Payments retry service

## Context

Retries failed card payments with backoff.

## Design

```mermaid
flowchart LR
  A[Payment failed] --> B[Retry queue]
```
"""


@pytest.fixture
def author(make_user):
    return make_user("author", first_name="Aisha", last_name="Okafor")


@pytest.fixture
def generic_profile(db):
    from specs.models import Profile

    return Profile.objects.get(name="generic")


@pytest.fixture
def make_spec(author, generic_profile):
    from specs import actions

    def make(slug="payments-retry", *, data=SIMPLE_SPEC, owner=None, profile=None):
        spec = actions.create_spec(
            title=slug.replace("-", " ").title(),
            slug=slug,
            profile=profile or generic_profile,
            author=owner or author,
        )
        actions.upload_version(spec=spec, data=data, uploaded_by=owner or author, note="first")
        spec.refresh_from_db()
        return spec

    return make


RACI_SPEC = """# Ledger export

## Context

Finance exports the ledger for auditors.

## Ownership & RACI

| Area | Responsible | Accountable | Consulted | Informed |
|---|---|---|---|---|
| Engineering | Lukas Novak | Jonas Müller | kenji | Priya Raman |
| Security/Privacy | kenji@example.com | Sofia Rossi | Grace Hopper (Finance) | Diego Santos |

## Scope Decision Log

| Date | Request | Source | Decision | Rationale | Trade-off |
|---|---|---|---|---|---|
| 2026-09-14 | Parquet export | Priya | Approved | Auditors ingest it | One more writer |
"""


@pytest.fixture
def people(make_user):
    names = {
        "aisha": ("Aisha", "Okafor"),
        "jonas": ("Jonas", "Muller"),  # the table says "Müller": accents are folded when matching
        "sofia": ("Sofia", "Rossi"),
        "kenji": ("Kenji", "Watanabe"),
        "lukas": ("Lukas", "Novak"),
        "priya": ("Priya", "Raman"),
        "diego": ("Diego", "Santos"),
        "outsider": ("Olga", "Outside"),
    }
    return {
        username: make_user(username, first_name=first, last_name=last)
        for username, (first, last) in names.items()
    }


@pytest.fixture
def reviewed_spec(people, generic_profile):
    from specs import actions

    spec = actions.create_spec(
        title="Ledger export", slug="ledger-export", profile=generic_profile, author=people["aisha"]
    )
    actions.upload_version(spec=spec, data=RACI_SPEC.encode(), uploaded_by=people["aisha"])
    spec.refresh_from_db()
    return spec
