"""Throughput and latency under concurrent load: gunicorn serving 10,000 specs to many clients.

Builds the dashboard benchmark's dataset in a throwaway database, starts gunicorn on loopback
with production settings (DEBUG off, pooled connections), signs a set of people in, and lets
client threads request a realistic mix of pages for a fixed time. Every loop is bounded in
count and time and talks only to 127.0.0.1.

    .venv/bin/python bench/load_bench.py [--specs 10000] [--clients 8] [--seconds 20]
"""

import argparse
import random
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import dashboard_bench  # sets up Django on the bench's database
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test.utils import setup_test_environment
from gunicorn_server import start_gunicorn

PORT = 8765


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect (to the login page, say) is an answer to count, not a page to follow."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--specs", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    server = None
    try:
        dashboard_bench.populate(args.specs, 300)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        cookies = sign_in_people(40)
        slugs = sample_slugs(200)
        server = start_gunicorn(settings.DATABASES["default"]["NAME"], PORT, args.workers)
        run_load(cookies, slugs, args.clients, args.seconds, args.workers, args.specs)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def sign_in_people(count: int) -> list[str]:
    """Session cookies for the first `count` bench users, made the way login makes them."""
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    cookies = []
    for user in get_user_model().objects.order_by("pk")[:count]:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return cookies


def sample_slugs(count: int) -> list[str]:
    from specs.models import Spec

    return list(Spec.objects.order_by("?").values_list("slug", flat=True)[:count])


def run_load(
    cookies: list[str], slugs: list[str], clients: int, seconds: float, workers: int, specs: int
):
    pages = {
        "dashboard": lambda rng: "/",
        "review page": lambda rng: f"/specs/{rng.choice(slugs)}/",
        "list partial": lambda rng: "/?partial=specs&state=in_review",
        "decisions": lambda rng: "/decisions/",
    }
    weights = [3, 5, 2, 1]
    samples: dict[str, list[float]] = {name: [] for name in pages}
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(index: int) -> None:
        rng = random.Random(index)
        cookie = cookies[index % len(cookies)]
        while time.monotonic() < stop_at:
            name = rng.choices(list(pages), weights)[0]
            request = urllib.request.Request(
                f"http://127.0.0.1:{PORT}{pages[name](rng)}",
                headers={"Cookie": cookie, "HX-Request": "true" if "partial" in name else ""},
            )
            started = time.perf_counter()
            try:
                with OPENER.open(request, timeout=30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code  # 404 for specs this person may not see: a real answer
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                samples[name].append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    total = sum(len(s) for s in samples.values())
    print(f"{clients} clients for {wall:.1f} s on gunicorn ({workers} workers), {specs:,} specs")
    print(f"throughput: {total / wall:.1f} requests/s; statuses: {dict(sorted(statuses.items()))}")
    print(f"{'page':<14} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, values in samples.items():
        if values:
            values.sort()
            p95 = values[int(len(values) * 0.95) - 1]
            p99 = values[max(0, int(len(values) * 0.99) - 1)]
            median = statistics.median(values)
            print(f"{name:<14} {len(values):>8} {median:>8.1f} {p95:>8.1f} {p99:>8.1f}")


if __name__ == "__main__":
    main()
