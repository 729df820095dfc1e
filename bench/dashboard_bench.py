"""Dashboard at scale: latency percentiles, SQL queries per page, CSV throughput, peak memory.

Creates a throwaway database (like spec_page_bench.py) with SPECS specs spread over a year:
realistic states, RACI tables, object permissions, sign-offs, gate ticks and the audit events the
dashboard's clock and trends read. Everything is bulk-inserted; nothing is rendered or linted.

    .venv/bin/python bench/dashboard_bench.py [--specs 10000] [--requests 30]
"""

import argparse
import hashlib
import random
import resource
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import django_setup  # noqa: F401  (configures Django before the imports below)
from django.conf import settings
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

AREAS = ("Engineering", "Security/Privacy", "Product", "Support/Ops", "Data")
# state -> weight; the rest of a spec's history follows from its state
STATES = {
    "draft": 12,
    "in_review": 22,
    "changes_requested": 8,
    "approved": 45,
    "rejected": 5,
    "withdrawn": 8,
}
SOURCE = "# Bench spec\n\n## Context\n\nGenerated for the dashboard benchmark.\n"
BATCH = 5000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--specs", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False  # no per-query bookkeeping outside CaptureQueriesContext
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        lead, busy = populate(args.specs, args.users)
        print(f"dataset: {args.specs} specs in {time.perf_counter() - started:.1f}s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        measure(lead, busy, args.requests)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def populate(count: int, user_count: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from core.models import AuditEvent
    from reviews.models import GateCheck, RaciAssignment, SignOff
    from specs.models import Profile, Spec, SpecUserObjectPermission, SpecVersion
    from specs.profiles import checklist_items

    rng = random.Random(20261122)
    now = datetime.now(UTC)
    User = get_user_model()
    User.objects.bulk_create(
        User(username=f"user{i}", first_name=f"First{i}", last_name=f"Last{i}", password="!")
        for i in range(user_count)
    )
    users = list(User.objects.order_by("pk").values_list("pk", flat=True))
    lead, busy = users[0], users[1]  # lead sees everything; busy reviews a lot
    profiles = list(Profile.objects.all())
    checklist = {p.pk: checklist_items(p) for p in profiles}
    perm = {p.codename: p.pk for p in Permission.objects.filter(content_type__app_label="specs")}

    plans = []
    for i in range(count):
        state = rng.choices(list(STATES), weights=list(STATES.values()))[0]
        created = now - timedelta(days=rng.uniform(1, 365))
        author = busy if i % 150 == 0 else rng.choice(users[2:])
        plans.append((i, state, created, author, rng.choice(profiles).pk))
    Spec.objects.bulk_create(
        (
            Spec(
                slug=f"bench-{i}",
                title=f"Bench spec {i}",
                profile_id=profile_id,
                author_id=author,
                state=state,
                created_at=created,
                updated_at=created,
            )
            for i, state, created, author, profile_id in plans
        ),
        batch_size=BATCH,
    )
    spec_ids = dict(Spec.objects.values_list("slug", "pk"))
    data = SOURCE.encode()
    versions, events, raci, perms, signoffs, ticks = [], [], [], [], [], []
    updated = {}
    for i, state, created, author, profile_id in plans:
        spec_id = spec_ids[f"bench-{i}"]
        rounds = 1 if state == "draft" else rng.choice((1, 1, 2, 3))
        at = created
        events.append(AuditEvent(at=at, verb="spec.created", spec_id=spec_id, data={}))
        for number in range(1, rounds + 1):
            versions.append(
                SpecVersion(
                    spec_id=spec_id,
                    number=number,
                    original_bytes=data,
                    source=SOURCE,
                    sha256=hashlib.sha256(data + bytes([number])).hexdigest(),
                    size_bytes=len(data),
                    uploaded_by_id=author,
                    uploaded_at=at,
                    render_state="rendered",
                    lint_errors=rng.choice((0, 0, 0, 1)),
                    lint_warnings=rng.randint(0, 4),
                    lint_infos=0,
                    linted_at=at,
                )
            )
            at += timedelta(hours=rng.uniform(1, 72))
        submitted = at
        if state != "draft" and not (state == "withdrawn" and rng.random() < 0.5):
            events.append(_event("spec.submit", spec_id, submitted, "draft", "in_review"))
        closing = submitted + timedelta(days=rng.lognormvariate(1.6, 0.8))
        closing = min(closing, now - timedelta(minutes=5))
        verb = {"approved": "approve", "rejected": "reject", "withdrawn": "withdraw"}.get(state)
        if verb:
            events.append(_event(f"spec.{verb}", spec_id, closing, "in_review", state))
        elif state == "changes_requested":
            events.append(_event("spec.request_changes", spec_id, closing, "in_review", state))
        updated[spec_id] = closing if state != "draft" else created
        members = _raci(rng, users, author, spec_id, created)
        raci += members
        perms += [
            SpecUserObjectPermission(
                user_id=author, permission_id=perm[c], content_object_id=spec_id
            )
            for c in ("view_spec", "upload_version", "administer_spec")
        ]
        granted = {(author, "view_spec")}
        for member in members:
            for codename in ("view_spec", "review_spec") + (
                ("approve_spec",) if member.role == "A" else ()
            ):
                if (member.user_id, codename) not in granted:
                    granted.add((member.user_id, codename))
                    perms.append(
                        SpecUserObjectPermission(
                            user_id=member.user_id,
                            permission_id=perm[codename],
                            content_object_id=spec_id,
                        )
                    )
        if (lead, "view_spec") not in granted:
            perms.append(
                SpecUserObjectPermission(
                    user_id=lead, permission_id=perm["view_spec"], content_object_id=spec_id
                )
            )
        if state in ("in_review", "changes_requested", "approved"):
            signoffs.append((spec_id, rounds, state, members, submitted))
            if state != "changes_requested":
                ticks.append((spec_id, rounds, checklist[profile_id], state, submitted))
    SpecVersion.objects.bulk_create(versions, batch_size=BATCH)
    current = dict(SpecVersion.objects.order_by("spec_id", "number").values_list("spec_id", "pk"))
    version_of = {
        (spec_id, number): pk
        for spec_id, number, pk in SpecVersion.objects.values_list("spec_id", "number", "pk")
    }
    specs = list(Spec.objects.only("pk"))
    for spec in specs:
        spec.current_version_id = current[spec.pk]
        spec.updated_at = updated[spec.pk]
    Spec.objects.bulk_update(specs, ["current_version", "updated_at"], batch_size=BATCH)
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)
    RaciAssignment.objects.bulk_create(raci, batch_size=BATCH)
    SpecUserObjectPermission.objects.bulk_create(perms, batch_size=BATCH)
    SignOff.objects.bulk_create(_signoffs(rng, signoffs, version_of), batch_size=BATCH)
    GateCheck.objects.bulk_create(_ticks(rng, ticks, version_of), batch_size=BATCH)
    print(
        f"rows: {len(versions)} versions, {len(events)} audit events, {len(raci)} RACI, "
        f"{len(perms)} object permissions, {SignOff.objects.count()} sign-offs, "
        f"{GateCheck.objects.count()} gate ticks"
    )
    return User.objects.get(pk=lead), User.objects.get(pk=busy)


def _event(verb, spec_id, at, before, after):
    from core.models import AuditEvent

    return AuditEvent(at=at, verb=verb, spec_id=spec_id, data={"from": before, "to": after})


def _raci(rng, users, author, spec_id, created):
    from reviews.models import RaciAssignment

    members = []
    for area in rng.sample(AREAS, rng.randint(1, 3)):
        picked = set()
        for role in ("R", "A", "C", "I"):
            # user1 ("busy") is in about 4% of all slots: a heavily loaded reviewer.
            user = users[1] if rng.random() < 0.04 else rng.choice(users[2:])
            # The author never holds an R, A or C slot (a database trigger refuses it).
            if (user == author and role != "I") or (role, user) in picked:
                continue
            picked.add((role, user))
            members.append(
                RaciAssignment(
                    spec_id=spec_id, area=area, role=role, user_id=user, created_at=created
                )
            )
    return members


def _signoffs(rng, plans, version_of):
    from reviews.models import SignOff

    for spec_id, number, state, members, submitted in plans:
        version = version_of[(spec_id, number)]
        for member in members:
            if member.role == "I":
                continue
            if state == "in_review" and rng.random() < 0.5:
                continue
            decision = "no_concerns" if member.role == "C" else "approve"
            if state == "changes_requested" and member.role == "A" and rng.random() < 0.5:
                decision = "request_changes"
            yield SignOff(
                version_id=version,
                area=member.area,
                role=member.role,
                user_id=member.user_id,
                decision=decision,
                comment="",
                recorded_at=submitted + timedelta(hours=rng.uniform(1, 48)),
            )


def _ticks(rng, plans, version_of):
    from reviews.models import GateCheck

    for spec_id, number, items, state, submitted in plans:
        for position, item in enumerate(items):
            if state == "in_review" and rng.random() < 0.4:
                continue
            yield GateCheck(
                version_id=version_of[(spec_id, number)],
                item=item,
                position=position,
                state="checked",
                at=submitted,
                revision=1,
            )


def percentiles(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    return f"{statistics.median(samples):>8.1f} {p95:>8.1f} {samples[-1]:>8.1f}"


def timed(client: Client, url: str, params: dict, repeat: int, **headers) -> tuple[int, list]:
    client.get(url, params, **headers)  # warm: content types, template loading
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params, **headers)
        assert response.status_code == 200, (url, response.status_code)
    count = len(queries)  # read now: every request_started clears the query log
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, params, **headers)
        if isinstance(response, StreamingHttpResponse):
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - started) * 1000)
    return count, timings


def measure(lead, busy, repeat: int) -> None:
    from reviews.dashboard.listing import SORTS

    client = Client()
    print(f"\n{'page':<46} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    rows = [
        ("dashboard (busy reviewer + author)", busy, "/", {}, {}),
        ("dashboard (lead: sees every spec)", lead, "/", {}, {}),
        (
            "list partial: in_review, by person",
            lead,
            "/",
            {"partial": "specs", "state": "in_review", "person": "user1"},
            {"HTTP_HX_REQUEST": "true"},
        ),
        (
            "list partial: area + age, sorted by title",
            lead,
            "/",
            {"partial": "specs", "area": "Security/Privacy", "age": "quarter", "sort": "title"},
            {"HTTP_HX_REQUEST": "true"},
        ),
        ("trends (lead, all specs)", lead, "/dashboard/trends/", {}, {"HTTP_HX_REQUEST": "true"}),
        (
            "trends (lead, one template)",
            lead,
            "/dashboard/trends/",
            {"profile": "tech-spec"},
            {"HTTP_HX_REQUEST": "true"},
        ),
    ]
    for label, user, url, params, headers in rows:
        client.force_login(user)
        count, timings = timed(client, url, params, repeat, **headers)
        print(f"{label:<46} {count:>7} {percentiles(timings)}")
    client.force_login(lead)
    print(f"\n{'cursor walk (lead, 40 pages)':<46} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for sort in SORTS:
        params = {"partial": "specs", "sort": sort}
        timings, queries = [], set()
        for _ in range(40):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get("/", params, HTTP_HX_REQUEST="true")
                timings.append((time.perf_counter() - started) * 1000)
            queries.add(len(captured))
            marker = 'rel="next" href="?'
            html = response.content.decode()
            if marker not in html:
                break
            query = html.split(marker, 1)[1].split('"', 1)[0].replace("&amp;", "&")
            params = dict(pair.split("=", 1) for pair in query.split("&"))
            params = {k: _unquote(v) for k, v in params.items()}
            params["partial"] = "specs"
        p = percentiles(timings).split()
        print(f"  sort {sort:<39} {'/'.join(map(str, sorted(queries))):>7} {p[0]:>8} {p[1]:>8}")
    print()
    for label, params in (
        ("CSV export, all visible", {}),
        ("CSV export, approved", {"state": "approved"}),
    ):
        with CaptureQueriesContext(connection) as export_queries:
            started = time.perf_counter()
            export = client.get("/dashboard/specs.csv", params)
            assert isinstance(export, StreamingHttpResponse)
            lines = sum(chunk.count(b"\n") for chunk in export.streaming_content)
            elapsed = time.perf_counter() - started
        rows, count = lines - 1, len(export_queries)
        print(
            f"{label:<46} {count:>7} queries, {rows} rows in {elapsed * 1000:.0f} ms "
            f"= {rows / elapsed:,.0f} rows/s"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS of this process, dataset build included): {peak:.0f} MB")


def _unquote(value: str) -> str:
    from urllib.parse import unquote_plus

    return unquote_plus(value)


if __name__ == "__main__":
    main()
