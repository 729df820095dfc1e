"""Spec page: latency percentiles and SQL queries per page as the version count grows.

Runs against a throwaway database on the configured PostgreSQL (DATABASE_URL, or start the
embedded one with `scripts/devdb.py start`). Prints one row per version count; the query
count must stay flat (it is also pinned in tests/specs/test_views.py).

    .venv/bin/python bench/spec_page_bench.py
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import django_setup  # noqa: F401  (configures Django before the imports below)
from django.conf import settings
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

SEED = ROOT / "speclint" / "src" / "speclint" / "profiles" / "tech-spec.md"  # seed 001, byte-exact
REQUESTS = 40


def main() -> None:
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    from django.contrib.auth import get_user_model

    from specs import actions
    from specs.models import Profile

    author = get_user_model().objects.create_user("bench", password="bench-password-123")
    spec = actions.create_spec(
        title="Bench", slug="bench", profile=Profile.objects.get(name="tech-spec"), author=author
    )
    base = SEED.read_bytes()
    client = Client()
    client.force_login(author)
    print(f"spec page for a {len(base) / 1024:.0f} KB tech-spec, {REQUESTS} requests per row")
    print(f"{'versions':>8} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    uploaded = 0
    for target in (1, 10, 50, 100):
        while uploaded < target:
            uploaded += 1
            actions.upload_version(
                spec=spec, data=base + f"\nRevision {uploaded}.\n".encode(), uploaded_by=author
            )
        url = f"/specs/{spec.slug}/"
        # request_started empties the query log, so the capture must start from an empty one.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        timings = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        median = statistics.median(timings)
        print(f"{target:>8} {len(queries):>8} {median:>8.1f} {p95:>8.1f} {timings[-1]:>8.1f}")


if __name__ == "__main__":
    main()
