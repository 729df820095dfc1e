"""The pages of issue 15 under wrk, served by gunicorn with 2 sync workers, like the Review
Board peer (../shared/peers/reviewboard/bench.sh): throughput, p50/p95/p99, and the CPU the
gunicorn workers spent per request, read from /proc (utime + stime) around each run.

Builds page_cpu_bench's dataset in a throwaway database, signs the reviewer in (a database
session, as login makes it), starts gunicorn with production settings on 127.0.0.1:PORT and
runs wrk (closed loop, zero think time) for each page and concurrency after a warm-up.

    .venv/bin/python bench/wrk_bench.py [--port 8601] [--duration 20] [--concurrency 1 10 50]

`--peer-pid PID --peer-url URL --peer-cookie COOKIE` measures another gunicorn the same way
(workers' CPU only), e.g. the Review Board peer: its bench.sh counts PostgreSQL's CPU too.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("LOG_LEVEL", "WARNING")
import page_cpu_bench  # sets Django up on the bench's database
from django.conf import settings
from django.db import connection
from django.test.utils import setup_test_environment
from gunicorn_server import start_gunicorn

TICKS = os.sysconf("SC_CLK_TCK")
REPORT = ROOT / "bench" / "wrk_report.lua"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8601)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--pages", nargs="+", default=["review", "dashboard", "floor"])
    parser.add_argument("--peer-pid", type=int, help="measure this gunicorn master instead")
    parser.add_argument("--peer-url", nargs="+", default=[], help="name=URL of its pages")
    parser.add_argument("--peer-cookie", default="")
    args = parser.parse_args()
    if args.peer_pid:
        pages = dict(item.split("=", 1) for item in args.peer_url)
        run_all(args.peer_pid, pages, args.peer_cookie, args)
        return
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    server = None
    try:
        built = page_cpu_bench.build()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        user = built["review"][0]
        cookie = session_cookie(user)
        server = start_gunicorn(settings.DATABASES["default"]["NAME"], args.port, args.workers)
        base = f"http://127.0.0.1:{args.port}"
        pages = {name: base + built[name][1] for name in args.pages}
        run_all(server.pid, pages, cookie, args)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def session_cookie(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def worker_cpu_seconds(master: int) -> float:
    """utime + stime of the master's children (the workers), in seconds."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def wrk(url: str, cookie: str, connections: int, seconds: int, *, report: bool) -> dict:
    threads = 1 if connections < 2 else 2
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s"]
    command += ["-H", f"Cookie: {cookie}"]
    if report:
        command += ["-s", str(REPORT)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    line = next((x for x in output.splitlines() if x.startswith("RESULT")), "")
    return {k: float(v) for k, v in (pair.split("=") for pair in line.split()[1:])}


def drain(url: str, cookie: str) -> None:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310  (http only)
    with contextlib.suppress(OSError):
        urllib.request.urlopen(request, timeout=120).read()  # noqa: S310
    time.sleep(1)


def run_all(master: int, pages: dict[str, str], cookie: str, args) -> None:
    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"gunicorn master {master}, wrk {args.duration} s per row, warm-up {args.warmup} s")
    print(
        "| page | concurrency | requests | req/s | p50 ms | p95 ms | p99 ms | errors | non-200 "
        "| worker CPU ms/req | load avg (1 min) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, url in pages.items():
        wrk(url, cookie, 10, args.warmup, report=False)
        drain(url, cookie)
        for connections in args.concurrency:
            before = worker_cpu_seconds(master)
            result = wrk(url, cookie, connections, args.duration, report=True)
            cpu = worker_cpu_seconds(master) - before
            requests = result.get("requests", 0)
            errors = sum(
                int(result.get(k, 0))
                for k in ("err_connect", "err_read", "err_write", "err_status", "err_timeout")
            )
            per_request = cpu * 1000 / requests if requests else 0.0
            print(
                f"| {name} | {connections} | {requests:.0f} | {result.get('rps', 0):.1f} "
                f"| {result.get('p50_ms', 0):.0f} | {result.get('p95_ms', 0):.0f} "
                f"| {result.get('p99_ms', 0):.0f} | {errors} | {result.get('non200', 0):.0f} "
                f"| {per_request:.1f} | {os.getloadavg()[0]:.2f} |",
                flush=True,
            )
            drain(url, cookie)
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
