"""Past one machine: two web instances behind nginx, two workers on RabbitMQ, one beat, one DB.

    .venv/bin/python bench/cluster_drill.py [--seconds 10] [--writers 4] [--base-port 8410]

Everything is real and local and stops by itself: a fresh PostgreSQL database on the local
server (DRILL_DATABASE_URL's server, default 127.0.0.1:5432, database `cluster_drill_<port>`),
a private RabbitMQ vhost, an aiosmtpd server counting Message-IDs, nginx from Debian's packages
(round robin over two gunicorn instances of one sync worker each), two Celery workers (both
queues each) and one beat. Nothing is shared through a node's disk or memory: sessions,
rate-limit windows, the SMTP circuit and the outbox are in PostgreSQL, tasks in RabbitMQ.

  1. sessions    log in through nginx, then GET pages and POST htmx comments: each instance
                 must answer some, logged in, with the same session cookie.
  2. scaling     the same GET load (wrk) with one instance, then with two; requests/s and the
                 web processes' CPU ms per request (CPU time: wall time is noisy here).
  3. kill        writers POST comments (each mentions a person: one e-mail each) while wrk
                 reads; one web instance and one worker get SIGKILL mid-run. Then: every
                 acknowledged comment (200) must be in the database, and every outbox row must
                 reach the SMTP server or be marked "delivery unknown" for a person (ADR 0008:
                 never re-sent blindly, so no duplicate); lost = neither.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))
import psycopg
import requests
from drill_parts import Sink, wait_until

VENV_BIN = Path(sys.executable).parent
PASSWORD = "review-demo-2026"  # noqa: S105 (the published demo password)
SPEC = "support-ticket-triage"  # a draft in the demo data: tomas and mei may comment
COMMENTERS = ("tomas", "mei")
MENTIONED = "priya"
SETTLED = {"sent", "failed", "unknown", "skipped", "held"}


class SlowSink(Sink):
    """The counting SMTP server, taking `delay` seconds per message like a real relay, so that
    the worker killed mid-run has sends in flight."""

    def __init__(self, port: int, delay: float) -> None:
        super().__init__(port)
        self.delay = delay

    async def handle_DATA(self, server, session, envelope) -> str:
        import asyncio

        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


def say(message: str) -> None:
    print(f"drill: {message}", flush=True)


class Cluster:
    def __init__(self, base_port: int, smtp_delay: float) -> None:
        self.nginx_port, self.smtp_port = base_port, base_port + 3
        self.web_ports = (base_port + 1, base_port + 2)
        self.home = Path(tempfile.mkdtemp(prefix="spec-review-cluster-"))
        self.home.chmod(0o755)
        server = os.environ.get("DRILL_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/")
        parts = urlsplit(server)
        self.db_name = f"cluster_drill_{base_port}"
        self.admin_url = parts._replace(path="/postgres").geturl()
        self.db_url = parts._replace(path=f"/{self.db_name}").geturl()
        self.vhost = f"spec-review-cluster-{base_port}"
        self.broker_url = f"amqp://guest:guest@127.0.0.1:5672/{self.vhost}"
        self.processes: dict[str, subprocess.Popen] = {}
        self.sink = SlowSink(self.smtp_port, smtp_delay)

    # ── the environment every node gets ──────────────────────────────────────────────────
    def env(self, **extra: str) -> dict[str, str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.db_url,
            "DEBUG": "0",
            "SECRET_KEY": "cluster-drill-only-" + "s" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOCALHOST_HTTP": "1",  # plain http between the drill and nginx
            "CELERY_BROKER_URL": self.broker_url,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "STATIC_ROOT": str(self.home / "static"),
            "SITE_URL": f"http://127.0.0.1:{self.nginx_port}",
            # nginx is the proxy whose X-Forwarded-For the app believes.
            "TRUSTED_PROXIES": "127.0.0.1",
            # Shortened so the drill settles in a minute; the mechanisms are the production ones.
            "NOTIFICATIONS_SWEEP_SECONDS": "5",
            "NOTIFICATIONS_SWEEP_GRACE_SECONDS": "5",
            "NOTIFICATIONS_SEND_LEASE_SECONDS": "20",
            "NOTIFICATIONS_RETRY_BASE_SECONDS": "5",
            "NOTIFICATIONS_SMTP_PAUSE_SECONDS": "5",
            "AXES_FAILURE_LIMIT": "1000",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        env.update(extra)
        return env

    def manage(self, *args: str, **extra: str) -> None:
        subprocess.run(
            [str(VENV_BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env(**extra),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    # ── bring-up ─────────────────────────────────────────────────────────────────────────
    def prepare(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.db_name}"')
        rabbit = ["rabbitmqctl", "-q"]
        subprocess.run([*rabbit, "delete_vhost", self.vhost], capture_output=True, check=False)
        subprocess.run([*rabbit, "add_vhost", self.vhost], check=True, capture_output=True)
        subprocess.run(
            [*rabbit, "set_permissions", "-p", self.vhost, "guest", ".*", ".*", ".*"],
            check=True,
            capture_output=True,
        )
        self.manage("migrate", "--no-input")
        self.manage("seed_demo", "--password", PASSWORD, DEBUG="1")  # demo accounts: DEBUG only
        self.manage("collectstatic", "--no-input")
        self.sink.controller.start()

    def spawn(self, name: str, command: list[str], **extra: str) -> None:
        log = (self.home / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env(**extra),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def start_worker(self, name: str) -> None:
        celery = str(VENV_BIN / "celery")
        self.spawn(
            name,
            [celery, "-A", "config", "worker", "--queues", "celery,celery-mail",
             "--concurrency", "2", "--hostname", f"{name}@%h", "--loglevel", "WARNING"],
        )  # fmt: skip

    def start_beat(self) -> None:
        celery = str(VENV_BIN / "celery")
        schedule = str(self.home / "celerybeat-schedule")
        self.spawn("beat", [celery, "-A", "config", "beat", "-s", schedule, "-l", "WARNING"])

    def start_web(self, index: int) -> None:
        port = self.web_ports[index]
        self.spawn(
            f"web{index + 1}",
            [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"],
            GUNICORN_BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY="1",
            GUNICORN_ACCESS_LOG="",
        )
        ok = wait_until(lambda: self.answers(f"http://127.0.0.1:{port}/health/live"), 30)
        if not ok:
            raise SystemExit(f"drill: web{index + 1} did not start; see {self.home}")

    @staticmethod
    def answers(url: str) -> bool:
        try:
            return requests.get(url, timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def write_nginx(self, instances: int) -> Path:
        temp = self.home / "nginx-temp"
        temp.mkdir(exist_ok=True)
        temp.chmod(0o777)
        servers = "\n".join(
            f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;"
            for port in self.web_ports[:instances]
        )
        conf = self.home / "nginx.conf"
        conf.write_text(
            f"""
worker_processes 1;
pid {self.home}/nginx.pid;
error_log {self.home}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {temp}/body;
  proxy_temp_path {temp}/proxy;
  fastcgi_temp_path {temp}/fastcgi;
  uwsgi_temp_path {temp}/uwsgi;
  scgi_temp_path {temp}/scgi;
  upstream spec_review {{
{servers}
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{self.nginx_port};
    location / {{
      proxy_pass http://spec_review;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      # A GET whose instance died is tried on the other; a POST is not (it may have landed).
      proxy_next_upstream error timeout http_502;
      proxy_connect_timeout 2s;
      add_header X-Upstream $upstream_addr always;
    }}
  }}
}}
"""
        )
        return conf

    def start_nginx(self, instances: int) -> None:
        conf = self.write_nginx(instances)
        self.spawn("nginx", ["nginx", "-p", str(self.home), "-c", str(conf), "-g", "daemon off;"])
        if not wait_until(lambda: self.answers(self.url("/health/live")), 15):
            raise SystemExit(f"drill: nginx did not start; see {self.home}/nginx-error.log")

    def reload_nginx(self, instances: int) -> None:
        conf = self.write_nginx(instances)
        reload = ["nginx", "-p", str(self.home), "-c", str(conf), "-s", "reload"]
        subprocess.run(reload, check=True, capture_output=True)
        time.sleep(1.5)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.nginx_port}{path}"

    def kill(self, name: str) -> None:
        process = self.processes[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        with contextlib.suppress(Exception):
            self.sink.controller.stop()
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", self.vhost], capture_output=True)
        with (
            contextlib.suppress(psycopg.Error),
            psycopg.connect(self.admin_url, autocommit=True) as conn,
        ):
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        if os.environ.get("DRILL_KEEP_LOGS"):
            say(f"logs kept in {self.home}")
        else:
            shutil.rmtree(self.home, ignore_errors=True)

    def web_cpu_seconds(self) -> float:
        """User + system CPU of every web process (masters and their workers), from /proc."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for name, process in self.processes.items():
            if not name.startswith("web") or process.poll() is not None:
                continue
            for pid in [process.pid, *children(process.pid)]:
                with contextlib.suppress(OSError):
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    total += (int(fields[11]) + int(fields[12])) / ticks
        return total


def children(pid: int) -> list[int]:
    with contextlib.suppress(OSError):
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return []


# ── the client side ──────────────────────────────────────────────────────────────────────
def log_in(cluster: Cluster, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(cluster.url("/accounts/login/"), timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login page"
    answer = session.post(
        cluster.url("/accounts/login/"),
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": cluster.url("/accounts/login/")},
        timeout=10,
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise SystemExit(f"drill: login as {username} answered {answer.status_code}")
    return session


def comment_form(session: requests.Session, cluster: Cluster) -> dict[str, str]:
    page = session.get(cluster.url(f"/specs/{SPEC}/"), timeout=10)
    assert page.status_code == 200, page.status_code
    version = re.search(r'name="version" value="(\d+)"', page.text)
    section = re.search(r'name="section" value="([^"]+)"', page.text) or re.search(
        r'<h2 id="([^"]+)"', page.text
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert version and section and token, "the review page has no comment form"
    return {"version": version.group(1), "section": section.group(1), "csrf": token.group(1)}


def post_comment(session, cluster, form, marker: str) -> requests.Response:
    return session.post(
        cluster.url(f"/specs/{SPEC}/comments/"),
        data={
            "body": f"{marker} — what does @{MENTIONED} think?",
            "version": form["version"],
            "section": form["section"],
            "csrfmiddlewaretoken": form["csrf"],
        },
        headers={
            "HX-Request": "true",
            "X-CSRFToken": form["csrf"],
            "Referer": cluster.url(f"/specs/{SPEC}/"),
        },
        timeout=15,
    )


def sessions_across_instances(cluster: Cluster, username: str = COMMENTERS[0]) -> dict:
    session = log_in(cluster, username)
    form = comment_form(session, cluster)
    reads: dict[str, int] = {}
    writes: dict[str, int] = {}
    for _ in range(6):
        page = session.get(cluster.url(f"/specs/{SPEC}/"), timeout=10, allow_redirects=False)
        assert page.status_code == 200, f"a logged-in GET answered {page.status_code}"
        reads[page.headers["X-Upstream"]] = reads.get(page.headers["X-Upstream"], 0) + 1
    for n in range(6):
        answer = post_comment(session, cluster, form, f"session-check-{n}")
        assert answer.status_code == 200, f"an htmx POST answered {answer.status_code}"
        writes[answer.headers["X-Upstream"]] = writes.get(answer.headers["X-Upstream"], 0) + 1
    return {"reads": reads, "writes": writes}


def wrk(cluster: Cluster, seconds: float, cookie: str, connections: int = 8) -> dict:
    command = [
        "wrk", "-t", "2", "-c", str(connections), "-d", f"{round(seconds)}s", "--latency",
        "-H", f"Cookie: {cookie}", cluster.url(f"/specs/{SPEC}/"),
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    requests_done = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    p50 = re.search(r"50%\s+(\S+)", output)
    return {
        "rps": rps,
        "requests": requests_done,
        "non_2xx": int(errors.group(1)) if errors else 0,
        "p50": p50.group(1) if p50 else "?",
    }


def load_run(cluster: Cluster, seconds: float, cookie: str) -> dict:
    cpu_before = cluster.web_cpu_seconds()
    result = wrk(cluster, seconds, cookie)
    result["cpu_ms_per_request"] = (
        1000 * (cluster.web_cpu_seconds() - cpu_before) / max(1, result["requests"])
    )
    result["load"] = os.getloadavg()[0]
    return result


def kill_under_load(cluster: Cluster, seconds: float, writers: int, cookie: str) -> dict:
    sessions = [log_in(cluster, COMMENTERS[i % len(COMMENTERS)]) for i in range(writers)]
    forms = [comment_form(s, cluster) for s in sessions]
    acknowledged: list[str] = []
    refused: dict[str, int] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def writer(index: int) -> None:
        while not stop.is_set():
            marker = f"drill-{uuid.uuid4().hex[:12]}"
            try:
                answer = post_comment(sessions[index], cluster, forms[index], marker)
                outcome = str(answer.status_code)
            except requests.RequestException as exc:
                outcome = type(exc).__name__
            with lock:
                if outcome == "200":
                    acknowledged.append(marker)
                else:
                    refused[outcome] = refused.get(outcome, 0) + 1

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    reader = threading.Thread(target=lambda: reads.update(wrk(cluster, seconds, cookie, 4)))
    reads: dict = {}
    for thread in [*threads, reader]:
        thread.start()
    time.sleep(seconds * 0.3)
    cluster.kill("web2")
    say("SIGKILL web2 (one of two web instances)")
    time.sleep(seconds * 0.3)
    with psycopg.connect(cluster.db_url) as conn:
        in_flight = conn.execute(
            "SELECT count(*) FROM notifications_notification WHERE state = 'sending'"
        ).fetchone()
    cluster.kill("worker2")
    say("SIGKILL worker2 (one of two Celery workers)")
    reader.join()
    stop.set()
    for thread in threads:
        thread.join()
    return {
        "acknowledged": acknowledged,
        "refused": refused,
        "reads": reads,
        "sending_at_kill": in_flight[0] if in_flight else 0,
    }


def settle_outbox(cluster: Cluster, since, deadline: float) -> dict:
    def states():
        with psycopg.connect(cluster.db_url) as conn:
            rows = conn.execute(
                "SELECT state, message_id FROM notifications_notification WHERE created_at >= %s",
                (since,),
            ).fetchall()
        return rows

    started = time.monotonic()
    rows = wait_until(lambda: (r := states()) and all(s in SETTLED for s, _ in r) and r, deadline)
    rows = rows or states()
    received = cluster.sink.received
    by_state: dict[str, int] = {}
    for state, _ in rows:
        by_state[state] = by_state.get(state, 0) + 1
    sent_ids = [m for s, m in rows if s == "sent"]
    unknown_ids = [m for s, m in rows if s == "unknown"]
    return {
        "rows": len(rows),
        "by_state": by_state,
        "delivered": sum(1 for m in sent_ids if received.get(m)),
        "sent_not_received": sum(1 for m in sent_ids if not received.get(m)),
        "unknown_received": sum(1 for m in unknown_ids if received.get(m)),
        "duplicated": sum(count - 1 for count in received.values() if count > 1),
        "stuck": sum(1 for s, _ in rows if s not in SETTLED),
        "settle_s": time.monotonic() - started,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="each load run")
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--base-port", type=int, default=8410)
    parser.add_argument("--smtp-delay", type=float, default=0.5, help="seconds per message")
    args = parser.parse_args()
    for tool in ("nginx", "wrk", "rabbitmqctl"):
        if shutil.which(tool) is None:
            raise SystemExit(f"drill: {tool} is missing (scripts/ensure-system-packages.sh)")
    cluster = Cluster(args.base_port, args.smtp_delay)
    try:
        say(f"preparing database {cluster.db_name}, vhost {cluster.vhost}, demo data …")
        cluster.prepare()
        cluster.start_worker("worker1")
        cluster.start_worker("worker2")
        cluster.start_beat()
        cluster.start_web(0)
        cluster.start_nginx(instances=1)
        reader = log_in(cluster, COMMENTERS[1])
        cookie = "; ".join(f"{k}={v}" for k, v in reader.cookies.items())

        say("load with one web instance …")
        one = load_run(cluster, args.seconds, cookie)
        cluster.start_web(1)
        cluster.reload_nginx(instances=2)
        say("load with two web instances …")
        two = load_run(cluster, args.seconds, cookie)

        say("sessions and htmx across instances …")
        spread = sessions_across_instances(cluster)

        from datetime import UTC, datetime

        since = datetime.now(UTC)
        say("writes under load; killing one web instance and one worker …")
        kill = kill_under_load(cluster, args.seconds * 2, args.writers, cookie)
        with psycopg.connect(cluster.db_url) as conn:
            stored = {
                body.split(" ", 1)[0]
                for (body,) in conn.execute(
                    "SELECT body FROM reviews_comment WHERE body LIKE 'drill-%%'"
                )
            }
        missing = [m for m in kill["acknowledged"] if m not in stored]
        say("waiting for the outbox to settle …")
        outbox = settle_outbox(cluster, since, deadline=90)
    finally:
        cluster.stop()

    print()
    print(f"{'load (GET review page, wrk -c8)':<34}{'req/s':>8}{'CPU ms/req':>12}"
          f"{'p50':>9}{'non-2xx':>9}{'load1':>7}")  # fmt: skip
    for label, run in (("one web instance", one), ("two web instances", two)):
        print(f"{label:<34}{run['rps']:>8.1f}{run['cpu_ms_per_request']:>12.1f}"
              f"{run['p50']:>9}{run['non_2xx']:>9}{run['load']:>7.2f}")  # fmt: skip
    print(f"{'scaling (two / one)':<34}{two['rps'] / one['rps']:>8.2f}x")
    print()
    print(f"sessions across instances: GET {spread['reads']}  htmx POST {spread['writes']}")
    print()
    print(f"{'kill drill':<44}{'count':>7}")
    rows = [
        ("comments acknowledged (200)", len(kill["acknowledged"])),
        ("  of which missing from the database", len(missing)),
        ("comment POSTs not acknowledged", sum(kill["refused"].values())),
        ("reads during the kills (wrk)", kill["reads"].get("requests", 0)),
        ("  of which non-2xx", kill["reads"].get("non_2xx", 0)),
        ("e-mails being sent (both workers) at the kill", kill["sending_at_kill"]),
        ("outbox rows written", outbox["rows"]),
        ("  sent and received by the SMTP server", outbox["delivered"]),
        ("  marked sent, never received (lost)", outbox["sent_not_received"]),
        ("  delivery unknown (a person decides)", outbox["by_state"].get("unknown", 0)),
        ("    of which did arrive", outbox["unknown_received"]),
        ("  failed", outbox["by_state"].get("failed", 0)),
        ("  still pending/sending (stuck)", outbox["stuck"]),
        ("e-mails received twice or more (extra copies)", outbox["duplicated"]),
    ]
    for label, count in rows:
        print(f"{label:<44}{count:>7}")
    print(f"not acknowledged, by answer: {kill['refused']}; outbox settled in "
          f"{outbox['settle_s']:.1f} s")  # fmt: skip
    failed = (
        missing
        or outbox["sent_not_received"]
        or outbox["stuck"]
        or outbox["duplicated"]
        or len(spread["reads"]) < 2
        or len(spread["writes"]) < 2
    )
    print("RESULT:", "FAIL" if failed else "PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
