"""Search at scale: p50/p95 wall time and the server's CPU per kind of query, and SQL statements
per search.

Builds a throwaway database with SPECS specs and VERSIONS versions' worth of search entries
(title, eight sections per version, comments, decisions, gate reasons) from a 4,000-word
vocabulary, generated in SQL; two users: one who may see every spec, one who sees about 10 %.

    .venv/bin/python bench/search_bench.py [--specs 10000] [--versions 50000] [--repeat 30]
        [--keep]

`--keep` leaves the database (DATABASE_TEST_NAME, or Django's test name) in place for EXPLAIN and
reuses it on the next run instead of building it again; drop it by hand when done. Each line
ends with a digest of the hits (order, spec, entry, rank): equal digests before and after a
change to the query mean equal results.
"""

import argparse
import hashlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import django_setup  # noqa: F401  (configures Django before the imports below)
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

QUERIES: dict[str, tuple[str, dict[str, object]]] = {
    "common word": ("retries", {}),
    "rare word": ("reconciliation", {}),
    "phrase": ('"quarterly reconciliation"', {}),
    "prefix (typing)": ("reconc", {}),
    "two words": ("ledger export", {}),
    "filtered (state)": ("retries", {"state": "in_review"}),
    "in all versions": ("retries", {"all_versions": True}),
}

POPULATE = """
CREATE TEMP TABLE vocab AS
    SELECT i, 'w' || i::text || CASE WHEN i % 7 = 0 THEN 'ing' ELSE 'er' END AS word
    FROM generate_series(1, 4000) AS i;
INSERT INTO vocab VALUES (4001, 'retries'), (4002, 'ledger'), (4003, 'export'),
    (4004, 'quarterly'), (4005, 'reconciliation');
CREATE TEMP TABLE vocab_words AS SELECT array_agg(word ORDER BY i) AS words FROM vocab;
CREATE TEMP TABLE plan AS
    SELECT s.id AS spec_id, v.n AS version_number, v.n = s.rounds AS latest
    FROM (SELECT id, 1 + (id % 9) AS rounds FROM specs_spec) s
    CROSS JOIN LATERAL generate_series(1, s.rounds) AS v(n);
"""

# Words drawn with a skew (low numbers are common); the five named words appear now and then.
# A pool of paragraphs drawn once with a skew (low word numbers are common, the five named
# words appear now and then); rows then pick paragraphs by arithmetic, so building is fast.
PARAGRAPHS = """
CREATE TEMP TABLE paragraph AS
SELECT n, (SELECT string_agg(CASE WHEN random() < 0.01 THEN va.words[4001 + (random() * 4)::int]
                                  ELSE va.words[1 + (power(random(), 3) * 3999)::int] END, ' ')
           FROM generate_series(1, 30 + n * 0) AS g, vocab_words va) AS text
FROM generate_series(1, 3000) AS n;
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--specs", type=int, default=10_000)
    parser.add_argument("--versions", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep and reuse the database")
    args = parser.parse_args()
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep)
    try:
        lead, reader = built_users()
        if lead is None:
            started = time.perf_counter()
            lead, reader = populate(args.specs, args.versions)
            print(f"dataset built in {time.perf_counter() - started:.0f} s")
        measure(lead, reader, args.repeat)
    finally:
        connection.close()
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def built_users():
    """The bench's two users when a kept database already holds the dataset."""
    from django.contrib.auth import get_user_model

    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["lead", "reader"])
    }
    return users.get("lead"), users.get("reader")


def populate(specs: int, versions: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from specs.models import Profile

    User = get_user_model()
    lead = User.objects.create(username="lead", password="!")
    reader = User.objects.create(username="reader", password="!")
    profile = Profile.objects.get(name="tech-spec")
    view = Permission.objects.get(content_type__app_label="specs", codename="view_spec").pk
    per_spec = max(1, round(versions / specs))
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO specs_spec (slug, title, profile_id, author_id, state, row_version,
                   created_at, updated_at)
               SELECT 'bench-' || i, 'Bench spec ' || i, %s, %s,
                   (ARRAY['draft','in_review','changes_requested','approved'])[1 + i %% 4], 1,
                   now() - (i || ' minutes')::interval, now() - (i || ' minutes')::interval
               FROM generate_series(1, %s) AS i""",
            [profile.pk, lead.pk, specs],
        )
        cursor.execute(
            """INSERT INTO specs_specuserobjectpermission
                   (user_id, permission_id, content_object_id)
               SELECT %s, %s, id FROM specs_spec
               UNION ALL SELECT %s, %s, id FROM specs_spec WHERE id %% 10 = 0""",
            [lead.pk, view, reader.pk, view],
        )
        cursor.execute(POPULATE.replace("1 + (id % 9)", f"1 + (id % {2 * per_spec - 1})"))
        cursor.execute(PARAGRAPHS)
        cursor.execute(
            """INSERT INTO specs_searchentry (spec_id, kind, version_number, is_latest, heading,
                   body, anchor, created_at)
               SELECT p.spec_id, 'section', p.version_number, p.latest, 'Section ' || k,
                   a.text || ' ' || b.text, 'spec-section-' || k, now()
               FROM plan p CROSS JOIN generate_series(1, 8) AS k
               JOIN paragraph a ON a.n = 1 + mod(p.spec_id * 8 + k, 3000)
               JOIN paragraph b ON b.n = 1 + mod(p.spec_id * 13 + k * 7 + p.version_number, 3000)"""
        )
        cursor.execute(
            """INSERT INTO specs_searchentry (spec_id, kind, is_latest, heading, body, anchor,
                   created_at)
               SELECT s.id, (ARRAY['comment','comment','decision','gate'])[1 + mod(k, 4)], true,
                   '', a.text, 'comment-' || k, now()
               FROM specs_spec s CROSS JOIN generate_series(1, 4) AS k
               JOIN paragraph a ON a.n = 1 + mod(s.id * 5 + k * 11, 3000)"""
        )
        cursor.execute(
            """INSERT INTO specs_searchentry (spec_id, kind, is_latest, heading, body, anchor,
                   created_at)
               SELECT id, 'title', true, title, '', '', now() FROM specs_spec"""
        )
        cursor.execute(
            # Comments, decisions and gate reasons carry no version number: not a version.
            "SELECT count(*), count(DISTINCT (spec_id, version_number))"
            " FILTER (WHERE kind = 'section') FROM specs_searchentry"
        )
        rows, pairs = cursor.fetchone()
        print(f"{specs} specs, {pairs} versions, {rows} search entries")
        cursor.execute("ANALYZE")
    return lead, reader


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):6.1f} ms  p95 {p95:6.1f} ms"


def digest(hits: list) -> str:
    """Order, spec, entry and rank (to 6 places) of every hit, as 8 hex digits."""
    text = repr(
        [(h.slug, h.kind, h.heading, h.version_number, h.anchor, round(h.rank, 6)) for h in hits]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def server_cpu_seconds() -> float | None:
    """CPU time (user + system) of this connection's PostgreSQL backend so far, read from
    /proc when the server runs on this machine: unlike wall time, the load does not inflate it.
    None when the server is elsewhere."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (name)": state is field 3
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(lead, reader, repeat: int) -> None:
    from specs import search

    # Wall time on a shared machine: read every figure beside the load it was measured under.
    # "server CPU" is the backend's own CPU time per search (mean over the repeats, clock ticks
    # of 10 ms summed over all of them), the figure the load does not move.
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))

    for user in (lead, reader):
        print(f"-- {user.username}")
        for name, (query, filters) in QUERIES.items():
            samples: list[float] = []
            hits: list = []
            cpu_before = server_cpu_seconds()
            for _ in range(repeat):
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    hits = search.search(user, query, search.Filters(**filters))  # type: ignore[arg-type]
                samples.append((time.perf_counter() - started) * 1000)
            cpu_after = server_cpu_seconds()
            cpu = (
                f"server CPU {(cpu_after - cpu_before) * 1000 / repeat:5.1f} ms"
                if cpu_before is not None and cpu_after is not None
                else "server CPU n/a"
            )
            print(
                f"{name:18} {percentiles(samples)}  {cpu}  {len(captured)} SQL"
                f"  {len(hits)} hits  {digest(hits)}"
            )
    client = Client()
    client.force_login(lead)
    with CaptureQueriesContext(connection) as captured:
        client.get("/search/", {"q": "retries"}, HTTP_HX_REQUEST="true")
    print(f"search page (htmx partial): {len(captured)} SQL statements")


if __name__ == "__main__":
    main()
