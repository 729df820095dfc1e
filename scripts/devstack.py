"""`make run`, `make dev` and `make test`: bring up what the app needs, then run it or its tests.

run:  PostgreSQL (DATABASE_URL, else embedded under .data/), migrations, demo data, a local SMTP
      server whose messages land in .data/mail/, Celery workers (renders; e-mail) and beat, and
      the web server, each started again if it dies (scripts/supervise.py). Ctrl-C stops every
      process started here, including the embedded PostgreSQL. The web server is the
      production one: gunicorn, DEBUG off with a secret generated once into .data/secret_key,
      static files through whitenoise, the app's own error pages, /metrics summed over its
      workers; plain http is allowed for loopback host names only (LOCALHOST_HTTP).
dev:  the same, but Django's autoreloading development server with DEBUG on.
test: PostgreSQL as above, then ruff, ruff format --check, mypy and pytest.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import devdb
from supervise import Supervisor

ROOT = devdb.ROOT
VENV_BIN = Path(sys.executable).parent
DATA = devdb.DATA
DEMO_PASSWORD = "review-demo-2026"


def say(message: str) -> None:
    print(f"spec-review: {message}", flush=True)


def database_url() -> tuple[str, bool]:
    """(url, embedded_started_here)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url, False
    try:
        return devdb.start()
    except (devdb.EmbeddedPostgresError, OSError, subprocess.CalledProcessError) as exc:
        raise SystemExit(f"spec-review: PostgreSQL could not start: {exc}") from None


def require_database(url: str) -> None:
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:
        parts = urlsplit(url)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SystemExit(
            f"spec-review: PostgreSQL at {parts.hostname}:{parts.port or 5432} is not answering "
            f"({reason})"
        ) from None


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def base_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = url
    env.setdefault("PYTHONUNBUFFERED", "1")
    (DATA / "broker" / "queue").mkdir(parents=True, exist_ok=True)
    (DATA / "broker" / "processed").mkdir(parents=True, exist_ok=True)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(VENV_BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def roles(url: str, embedded: bool) -> tuple[str, str, str]:
    """(owner URL for migrate, application URL for every process, application role name)."""
    if embedded:
        return (
            devdb.database_url(role=devdb.OWNER_ROLE),
            devdb.database_url(role=devdb.APP_ROLE),
            devdb.APP_ROLE,
        )
    # A server of your own: DATABASE_URL is the application role, DATABASE_OWNER_URL (if set)
    # the owner that migrates; without it, one role does both (see README, "Database roles").
    owner = os.environ.get("DATABASE_OWNER_URL", url)
    return owner, url, os.environ.get("DATABASE_APP_ROLE", "")


def local_secret_key() -> str:
    """A secret made once for this checkout, readable by its owner only."""
    path = DATA / "secret_key"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(50))
    path.chmod(0o600)
    return path.read_text().strip()


def production_env(env: dict[str, str]) -> dict[str, str]:
    """`make run`: production settings, served over plain http to this machine only."""
    env = {**env, "DEBUG": "0", "LOCALHOST_HTTP": "1"}
    env.setdefault("SECRET_KEY", local_secret_key())
    env.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1")
    env.setdefault("STATIC_ROOT", str(DATA / "staticfiles"))
    # Every gunicorn worker and Celery process writes its metrics here; a scrape sums them.
    # Emptied at each start: the files of processes from a previous run would be summed too.
    metrics = DATA / "metrics"
    shutil.rmtree(metrics, ignore_errors=True)
    metrics.mkdir(parents=True)
    env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics)
    env.setdefault("METRICS_TOKEN", secrets.token_urlsafe(24))
    return env


def web_command(env: dict[str, str], web_port: int, production: bool) -> list[str]:
    if not production:
        return [str(VENV_BIN / "python"), "manage.py", "runserver", f"127.0.0.1:{web_port}"]
    env["GUNICORN_BIND"] = f"127.0.0.1:{web_port}"
    env.setdefault("WEB_CONCURRENCY", "2")
    return [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi:application"]


def run(*, production: bool = True) -> int:
    superuser_url, embedded = database_url()
    owner_url, url, app_role = roles(superuser_url, embedded)
    require_database(url)
    web_port = int(os.environ.get("PORT", "8000"))
    mail_port = int(os.environ.get("DEV_MAIL_PORT", "1025"))
    env = base_env(url)
    if production:
        env = production_env(env)
    else:
        env.setdefault("DEBUG", "1")
    env.setdefault("SITE_URL", f"http://127.0.0.1:{web_port}")
    own_mail = "EMAIL_HOST" not in os.environ
    if own_mail:
        env["EMAIL_HOST"], env["EMAIL_PORT"] = "127.0.0.1", str(mail_port)
    for port, what in ((web_port, "PORT"), (mail_port, "DEV_MAIL_PORT")):
        if (what == "PORT" or own_mail) and not port_is_free(port):
            raise SystemExit(f"spec-review: port {port} is taken; set {what} to another port")

    manage(
        {**env, "DATABASE_URL": owner_url, "DATABASE_APP_ROLE": app_role},
        "migrate",
        "--no-input",
        "-v",
        "0",
    )
    # The demo data goes in through the application's own role, as every later write does.
    # seed_demo creates accounts with a published password and refuses to run unless DEBUG is
    # on: this one-off process (nothing else) gets DEBUG on for it.
    manage({**env, "DEBUG": "1"}, "seed_demo", "--password", DEMO_PASSWORD)
    if production:
        manage(env, "collectstatic", "--no-input", "-v", "0")

    python = str(VENV_BIN / "python")
    commands = {
        # Renders and mail on separate workers: a mail server that stalls holds no render.
        "worker": [
            *(str(VENV_BIN / "celery"), "-A", "config", "worker", "--loglevel", "INFO"),
            *("--concurrency", "2", "--queues", "celery", "--hostname", "renders@%h"),
        ],
        "mailer": [
            *(str(VENV_BIN / "celery"), "-A", "config", "worker", "--loglevel", "INFO"),
            *("--concurrency", "1", "--queues", "celery-mail", "--hostname", "mail@%h"),
        ],
        "beat": [str(VENV_BIN / "celery"), "-A", "config", "beat", "--loglevel", "INFO"],
        "web": web_command(env, web_port, production),
    }
    if own_mail:
        # Started first: a worker that finds no mail server pauses all e-mail for 30 s.
        mail = [python, "-m", "core.mailsink", "--port", str(mail_port), "--maildir"]
        commands = {"mail": [*mail, str(DATA / "mail")], **commands}
    supervisor = Supervisor(commands, cwd=ROOT, env=env, say=say)
    stopping = False

    def shut_down(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, shut_down)
    signal.signal(signal.SIGTERM, shut_down)
    try:
        supervisor.start()
        time.sleep(1.5)
        print_banner(web_port, own_mail, env if production else None)
        while not stopping:
            supervisor.check()  # a child that died on its own is started again
            time.sleep(0.5)
    finally:
        supervisor.stop()
        if embedded:
            devdb.stop()
            say("embedded PostgreSQL stopped; data kept in .data/pg")
    return 0


def print_banner(web_port: int, own_mail: bool, production_env: dict[str, str] | None) -> None:
    mail = (
        f"e-mail:  every message lands in {DATA / 'mail' / 'new'} (one .eml file each)"
        if own_mail
        else f"e-mail:  sent through {os.environ['EMAIL_HOST']}"
    )
    print(
        "\n".join(
            [
                "",
                "  Spec Review is running",
                f"  open:    http://127.0.0.1:{web_port}/",
                f"  logins:  any demo person, password {DEMO_PASSWORD}",
                "           priya (author, Product)     tomas (approver, Product)",
                "           mei (author, Engineering)   jonas (approver, Engineering)",
                "           sofia (approver, Security)  kenji (reviewer, Privacy)",
                "           fatima (approver, Ops)      diego (reviewer, Support)",
                "           admin (administrator)",
                f"  {mail}",
                (
                    "  serving: gunicorn, DEBUG off (plain http for this machine only);"
                    " `make dev` for the autoreloading server"
                    if production_env
                    else "  serving: Django's development server, DEBUG on"
                ),
                *(
                    [
                        f"  metrics: curl -H 'Authorization: Bearer "
                        f"{production_env['METRICS_TOKEN']}' http://127.0.0.1:{web_port}/metrics"
                    ]
                    if production_env
                    else []
                ),
                "  stop:    Ctrl-C (stops the web server, worker, beat, mail and database)",
                "",
            ]
        ),
        flush=True,
    )


def test(pytest_args: list[str]) -> int:
    url, embedded = database_url()
    require_database(url)
    env = base_env(url)
    env.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
    # Development-shaped settings (plain-http cookies, no SSL redirect) so the test client and the
    # live server speak plain HTTP; a test asserts production settings separately.
    env.setdefault("DEBUG", "1")
    # The tests' filesystem broker lives in a scratch folder: messages they leave behind would
    # otherwise wait in .data/broker for the next `make run`'s workers (stale ids by the hundred).
    scratch_broker = tempfile.mkdtemp(prefix="spec-review-test-broker-")
    env["CELERY_FILESYSTEM_BROKER_DIR"] = scratch_broker
    for sub in ("queue", "processed", "control"):
        Path(scratch_broker, sub).mkdir()
    steps = [
        ("ruff check", [str(VENV_BIN / "ruff"), "check", "."]),
        ("ruff format", [str(VENV_BIN / "ruff"), "format", "--check", "."]),
        ("mypy", [str(VENV_BIN / "mypy"), "."]),
        ("pytest", [str(VENV_BIN / "pytest"), *pytest_args]),
    ]
    try:
        for name, command in steps:
            say(f"{name} …")
            # pytest exits 5 when it collected no tests: any non-zero status fails the run.
            status = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
            if status != 0:
                say(f"{name} failed (exit status {status})")
                return status or 1
    finally:
        shutil.rmtree(scratch_broker, ignore_errors=True)
        if embedded:
            devdb.stop()
    say("all checks passed")
    return 0


def main(argv: list[str]) -> int:
    os.chdir(ROOT)
    if len(argv) < 2 or argv[1] not in {"run", "dev", "test"}:
        print("usage: devstack.py run | dev | test [pytest args…]", file=sys.stderr)
        return 2
    if argv[1] == "test":
        return test(argv[2:])
    return run(production=argv[1] == "run")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
