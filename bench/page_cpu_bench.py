"""Worker CPU per request, SQL per page and p50/p95 of the pages issue 15 compares with
Review Board: the review page of the 14 KB tech-spec seed, the dashboard, and the floor (a
view that authenticates, checks permission and returns the stored bytes: the download). The
review page twice: as a reader finds it when nobody acted since the last look at it
("review": its state's parts are kept, reviews.page_cache), and as the first reader after
every action finds it ("review-after-change": all built again).

The requests go through the whole middleware stack in the Django test client, in this
process, so `time.process_time()` around N requests is the CPU a worker spends on them
(PostgreSQL's own CPU is another process and is not counted). A throwaway database holds
250 specs like the Review Board peer's 250 review requests (bench/dashboard_bench.py's
generator) plus the benchmarked spec, rendered and linted for real, with two versions,
RACI, sign-offs, comments and a reply.

    .venv/bin/python bench/page_cpu_bench.py [--requests 60]
    .venv/bin/python bench/page_cpu_bench.py --profile review|review-after-change|dashboard|floor
    .venv/bin/python bench/page_cpu_bench.py --serve 8601   # keep the data, serve it (load_bench)
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("LOG_LEVEL", "WARNING")  # a log line per request is not the page's cost
import dashboard_bench
from django.conf import settings
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

SEED = ROOT / "speclint" / "src" / "speclint" / "profiles" / "tech-spec.md"  # seed 001, 14 KB
SPECS = 250  # as many as the Review Board peer's review requests


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument(
        "--profile", choices=("review", "review-after-change", "dashboard", "floor")
    )
    args = parser.parse_args()
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        pages = build()
        if args.profile:
            profile(pages[args.profile], args.requests, BEFORE_EACH.get(args.profile))
        else:
            measure(pages, args.requests)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def build() -> dict[str, tuple]:
    """The dataset; returns page name -> (user, url) for the three measured pages."""
    dashboard_bench.populate(SPECS, 40)
    _, reviewer = seed_reviewed_spec()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "floor": (reviewer, "/specs/bench-tech-spec/v2/download/"),
        "review": (reviewer, "/specs/bench-tech-spec/"),
        # The first look after someone acted: the parts kept per state are built again.
        "review-after-change": (reviewer, "/specs/bench-tech-spec/"),
        "dashboard": (reviewer, "/"),
    }


def someone_acts() -> None:
    """What any review action does to the spec's change stamp (reviews.views.live): the row
    version moves. Run between requests, outside the measured CPU."""
    from django.db.models import F

    from specs.models import Spec

    Spec.objects.filter(slug="bench-tech-spec").update(row_version=F("row_version") + 1)


BEFORE_EACH = {"review-after-change": someone_acts}


def seed_reviewed_spec():
    """The benchmarked spec: like Review Board's /r/52/, one update and three reviews."""
    from django.contrib.auth import get_user_model

    from reviews import actions as review_actions
    from specs import actions
    from specs.models import Profile, Spec

    User = get_user_model()
    author = User.objects.create_user("bench-author", password="bench-password-123")
    reviewer = User.objects.get(username="user2")  # in many RACI slots of the 250 specs
    others = list(User.objects.filter(username__in=["user3", "user4"]).order_by("username"))
    spec = actions.create_spec(
        title="Bench tech spec",
        slug="bench-tech-spec",
        profile=Profile.objects.get(name="tech-spec"),
        author=author,
    )
    text = SEED.read_bytes()
    actions.upload_version(spec=spec, data=text, uploaded_by=author)
    for area, role, who in (
        ("Engineering", "A", reviewer),
        ("Engineering", "R", others[0]),
        ("Security/Privacy", "A", others[1]),
    ):
        spec = Spec.objects.get(pk=spec.pk)
        review_actions.assign_raci(
            spec=spec,
            area=area,
            role=role,
            user=who,
            by=author,
            expected_row_version=spec.row_version,
        )
    actions.upload_version(
        spec=Spec.objects.get(pk=spec.pk), data=text + b"\n## Update\n\nMore.\n", uploaded_by=author
    )
    spec = Spec.objects.with_current_version().get(pk=spec.pk)
    version = spec.current_version.number
    comment = review_actions.add_comment(
        spec=spec,
        by=reviewer,
        body="Which store keeps this?",
        expected_version=version,
        line_start=5,
        line_end=6,
        blocking=True,
    )
    review_actions.reply(spec=spec, parent=comment, by=author, body="Postgres, see section 4.")
    review_actions.add_comment(
        spec=spec,
        by=others[0],
        body="Looks fine to me.",
        expected_version=version,
        line_start=20,
        line_end=20,
    )
    review_actions.add_comment(
        spec=spec,
        by=others[1],
        body="Retention period?",
        expected_version=version,
        line_start=30,
        line_end=31,
    )
    return author, reviewer


def request_cpu(
    client: Client, url: str, count: int, before_each=None
) -> tuple[list[float], float, int]:
    """Wall ms of each request, CPU ms per request, and the body size. `before_each` runs
    before every request, outside both measures."""
    walls = []
    size = 0
    cpu = 0.0
    for _ in range(count):
        if before_each is not None:
            before_each()
        cpu_started = time.process_time()
        started = time.perf_counter()
        response = client.get(url)
        walls.append((time.perf_counter() - started) * 1000)
        cpu += time.process_time() - cpu_started
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.content)
    return walls, cpu * 1000 / count, size


def queries_of(client: Client, url: str, before_each=None) -> list[str]:
    if before_each is not None:
        before_each()
    reset_queries()  # request_started empties the log: the capture must start from empty
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def measure(pages: dict[str, tuple], count: int, rounds: int = 3) -> None:
    """`rounds` interleaved rounds of `count` requests per page; the CPU figure is the median
    round's, so a burst of load from another process moves one round, not the result."""
    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{rounds} rounds of {count} requests per page, test client, whole middleware stack")
    clients: dict[str, Client] = {}
    sql: dict[str, list[str]] = {}
    walls: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    for name, (user, url) in pages.items():
        clients[name] = Client()
        clients[name].force_login(user)
        for _ in range(5):
            clients[name].get(url)  # warm: templates, content types, caches
        sql[name] = queries_of(clients[name], url, BEFORE_EACH.get(name))
        walls[name], cpus[name] = [], []
    for _ in range(rounds):
        for name, (_, url) in pages.items():
            round_walls, cpu, sizes[name] = request_cpu(
                clients[name], url, count, BEFORE_EACH.get(name)
            )
            walls[name] += round_walls
            cpus[name].append(cpu)
    print("| page | SQL | CPU ms/req (median round) | rounds | p50 ms | p95 ms | KB |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for name in pages:
        ordered = sorted(walls[name])
        p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
        each = " / ".join(f"{c:.1f}" for c in cpus[name])
        print(
            f"| {name} | {len(sql[name])} | {statistics.median(cpus[name]):.1f} | {each} "
            f"| {statistics.median(ordered):.1f} | {p95:.1f} | {sizes[name] / 1024:.0f} |"
        )
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def profile(page: tuple, count: int, before_each=None) -> None:
    user, url = page
    client = Client()
    client.force_login(user)
    for _ in range(5):
        client.get(url)
    for sql in queries_of(client, url):
        print("SQL:", sql[:160], "...", sql[-200:])
    profiler = cProfile.Profile(time.process_time)
    for _ in range(count):
        if before_each is not None:
            before_each()
        profiler.enable()
        client.get(url)
        profiler.disable()
    stats = pstats.Stats(profiler)
    by_area: dict[str, float] = {}
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        area = next(
            (
                a
                for a in ("django/template", "django/db", "psycopg", "django/urls", "/work/")
                if a in filename and (a != "/work/" or ".venv" not in filename)
            ),
            "other",
        )
        by_area[area] = by_area.get(area, 0.0) + own
    for area, seconds in sorted(by_area.items(), key=lambda item: -item[1]):
        print(f"own time in {area:<16} {seconds * 1000 / count:7.1f} ms/request (profiled)")
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("cumulative").print_stats(f"{ROOT}/(?!\\.venv)", 40)
    stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
