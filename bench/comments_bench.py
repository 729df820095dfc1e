"""Review page with many comments: CPU per request, SQL queries and HTML bytes at 10 / 100 / 1,000.

The page must cost at most twice as much with 1,000 comments as with 10 (issue 11), and its
query count must not grow with them (also pinned in tests/reviews/test_comments.py). CPU time
(`time.process_time`: this process serves the request in-process, so it is the page's own work
plus the database client's) is what is compared; wall time on a shared machine is noise.

Comments are spread over the blocks of a 569-line tech-spec; every third has a reply, every
tenth is resolved, and a quarter were written on the previous version so they are re-anchored.

    .venv/bin/python bench/comments_bench.py
"""

import datetime
import os
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

SEED = ROOT / "specs" / "lint" / "profiles" / "tech-spec.md"
REQUESTS = 10
COUNTS = (10, 100, 1000)


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
    from django.utils import timezone

    from reviews.models import Comment, CommentState
    from specs import actions
    from specs.models import Profile, SpecVersion

    users = get_user_model().objects
    author = users.create_user("bench", password="bench-password-123")
    reviewer = users.create_user("reviewer", password="bench-password-123")
    spec = actions.create_spec(
        title="Bench", slug="bench", profile=Profile.objects.get(name="tech-spec"), author=author
    )
    base = SEED.read_bytes()
    actions.upload_version(spec=spec, data=base, uploaded_by=author)
    actions.upload_version(spec=spec, data=base + b"\nRevision 2.\n", uploaded_by=author)
    v1, v2 = SpecVersion.objects.filter(spec=spec).order_by("number")
    lines = [n for n, text in enumerate(v2.source.splitlines(), 1) if text.strip()]
    client = Client()
    client.force_login(author)  # the author sees an "addressed" form on every open thread
    url = f"/specs/{spec.slug}/"
    print(f"review page of a {len(base) / 1024:.0f} KB tech-spec, {REQUESTS} requests per row")
    print(f"load average {os.getloadavg()[0]:.2f}")
    print(f"{'comments':>8} {'queries':>8} {'CPU ms':>8} {'p95 CPU':>8} {'HTML KB':>8}")
    written = 0
    now = timezone.now()
    for target in COUNTS:
        rows = []
        while written < target:
            line = lines[(written * 7) % len(lines)]
            version = v1 if written % 4 == 0 else v2
            rows.append(
                Comment(
                    spec=spec,
                    version=version,
                    line_start=line,
                    line_end=line,
                    excerpt=version.source.splitlines()[line - 1],
                    author=reviewer,
                    body=f"Comment {written}: which limit applies here, and who owns it?",
                    state=CommentState.RESOLVED if written % 10 == 9 else CommentState.OPEN,
                    created_at=now + datetime.timedelta(seconds=written),
                )
            )
            written += 1
        roots = Comment.objects.bulk_create(rows)
        Comment.objects.bulk_create(
            Comment(
                spec=spec,
                version=v2,
                parent=root,
                author=author,
                body="Reply: the per-endpoint one.",
                created_at=root.created_at + datetime.timedelta(milliseconds=1),
            )
            for index, root in enumerate(roots)
            if index % 3 == 0
        )
        reset_queries()  # request_started empties the log: the capture starts from an empty one
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            assert response.status_code == 200
        cpu = []
        for _ in range(REQUESTS):
            started = time.process_time()
            client.get(url)
            cpu.append((time.process_time() - started) * 1000)
        cpu.sort()
        p95 = cpu[max(0, int(len(cpu) * 0.95) - 1)]
        size = len(response.content) / 1024
        median = statistics.median(cpu)
        print(f"{target:>8} {len(queries):>8} {median:>8.1f} {p95:>8.1f} {size:>8.0f}")


if __name__ == "__main__":
    main()
