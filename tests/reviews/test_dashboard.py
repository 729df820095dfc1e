"""The dashboard's reads: who waits on whom, my specs' blockers, filters, cursor, trends."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.audit import record_event
from reviews import actions
from reviews.dashboard import context as dashboard
from reviews.dashboard import due, listing, mine, trends
from reviews.dashboard.waiting import waiting_on
from reviews.models import GateCheck, RaciAssignment
from reviews.rules import workflow
from reviews.rules.signoffs import CellState, signoff_matrix
from reviews.snapshot import load_review
from specs import actions as spec_actions
from specs.models import Profile, Spec
from specs.permissions import SpecAction, grant, visible_specs
from tests.conftest import RACI_SPEC

NOW = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)  # a Friday
DAY = datetime.timedelta(days=1)


# --- due dates (pure) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (NOW, 1, NOW + 3 * DAY),  # Friday + 1 business day = Monday
        (NOW - 4 * DAY, 5, NOW + 3 * DAY),  # Monday + 5 = next Monday
        (NOW + DAY, 1, NOW + 3 * DAY),  # Saturday + 1 = Monday
        (NOW, 0, NOW),
    ],
)
def test_business_days_skip_weekends(start, days, expected) -> None:
    assert due.add_business_days(start, days) == expected


def test_due_days_come_from_the_setting(settings) -> None:
    settings.REVIEW_DUE_DAYS = 2
    assert due.due_at(NOW) == NOW + 4 * DAY
    del settings.REVIEW_DUE_DAYS
    assert due.review_due_days() == 5


@pytest.mark.parametrize(
    ("days", "text"), [(0, "since today"), (1, "for 1 day"), (4, "for 4 days")]
)
def test_for_days(days, text) -> None:
    assert due.for_days(days) == text


# --- helpers --------------------------------------------------------------------------------


def row_version(spec) -> int:
    return Spec.objects.get(pk=spec.pk).row_version


def submit(spec, by) -> None:
    actions.transition(spec=spec, name="submit", by=by, expected_row_version=row_version(spec))


def put_in_review(spec, *, at, by) -> None:
    """In review since ``at`` (the audit trail is the dashboard's clock)."""
    Spec.objects.filter(pk=spec.pk).update(state="in_review")
    record_event(
        "spec.submit", actor=by, spec_id=spec.pk, data={"from": "draft", "to": "in_review"}, at=at
    )


def ledger(slug, people, *, profile=None, uploaded_at=None) -> Spec:
    spec = spec_actions.create_spec(
        title=slug.replace("-", " ").title(),
        slug=slug,
        profile=profile or Profile.objects.get(name="generic"),
        author=people["aisha"],
        created_at=uploaded_at,
    )
    spec_actions.upload_version(
        spec=spec, data=RACI_SPEC.encode(), uploaded_by=people["aisha"], uploaded_at=uploaded_at
    )
    spec.refresh_from_db()
    return spec


def waiting(user, now=None):
    profiles = list(Profile.objects.all())
    totals = {pk: len(items) for pk, items in dashboard.checklists(profiles).items()}
    return waiting_on(user, totals, now or timezone.now())


def sign(spec, person, area, role, decision="approve", comment=""):
    current = Spec.objects.get(pk=spec.pk).current_version
    assert current is not None
    actions.sign_off(
        spec=spec,
        area=area,
        role=role,
        decision=decision,
        comment=comment,
        by=person,
        expected_version=current.number,
    )


# --- waiting on me ------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_person_waits_on_their_own_open_slots(reviewed_spec, people) -> None:
    assert waiting(people["jonas"]) == []  # a draft waits on nobody
    submit(reviewed_spec, people["aisha"])
    assert [i.task for i in waiting(people["jonas"])] == ["Sign off as Accountable for Engineering"]
    assert sorted(i.task for i in waiting(people["kenji"])) == [
        "Sign off as Consulted for Engineering",
        "Sign off as Responsible for Security/Privacy",
    ]
    assert waiting(people["priya"]) == []  # Informed people sign nothing
    assert waiting(people["aisha"]) == []  # the author
    assert waiting(people["outsider"]) == []

    sign(reviewed_spec, people["jonas"], "Engineering", "A")
    assert waiting(people["jonas"]) == []
    # A new version makes the sign-off stale: Jonas is waited on again, for v2.
    spec_actions.upload_version(
        spec=reviewed_spec, data=(RACI_SPEC + "\nv2\n").encode(), uploaded_by=people["aisha"]
    )
    [item] = waiting(people["jonas"])
    assert item.version == 2


@pytest.mark.django_db
def test_changes_requested_still_waits_on_the_other_areas(reviewed_spec, people) -> None:
    submit(reviewed_spec, people["aisha"])
    sign(reviewed_spec, people["sofia"], "Security/Privacy", "A", "request_changes", "Encrypt it")
    assert Spec.objects.get(pk=reviewed_spec.pk).state == "changes_requested"
    assert [i.task for i in waiting(people["jonas"])] == ["Sign off as Accountable for Engineering"]
    assert waiting(people["sofia"]) == []


@pytest.mark.django_db
def test_oldest_first_with_due_dates_and_overdue(people, settings) -> None:
    settings.REVIEW_DUE_DAYS = 5
    now = timezone.now()
    old = ledger("old-one", people, uploaded_at=now - 30 * DAY)
    new = ledger("new-one", people, uploaded_at=now - 3 * DAY)
    put_in_review(new, at=now - 2 * DAY, by=people["aisha"])
    put_in_review(old, at=now - 20 * DAY, by=people["aisha"])
    items = waiting(people["jonas"], now)
    assert [i.slug for i in items] == ["old-one", "new-one"]
    assert items[0].days_waiting == 20 and items[0].overdue
    assert items[0].due == due.add_business_days(now - 20 * DAY, 5)
    assert items[1].days_waiting == 2 and not items[1].overdue


@pytest.mark.django_db
def test_gates_wait_on_reviewers_until_every_item_is_done(people) -> None:
    profile = Profile.objects.get(name="feature-spec")
    spec = ledger("gated", people, profile=profile)
    total = len(dashboard.checklists([profile])[profile.pk])
    assert total > 1
    put_in_review(spec, at=timezone.now(), by=people["aisha"])
    gate_task = f"Tick {total} of {total} gate items"
    assert gate_task in [i.task for i in waiting(people["jonas"])]
    assert not [i for i in waiting(people["priya"]) if "gate" in i.task]  # no review permission
    labels = dashboard.checklists([profile])[profile.pk]
    actions.tick_gate(
        spec=spec,
        item=labels[0],
        state="checked",
        reason="",
        by=people["jonas"],
        expected_version=1,
        expected_revision=0,
    )
    assert f"Tick {total - 1} of {total} gate items" in [i.task for i in waiting(people["lukas"])]
    GateCheck.objects.bulk_create(
        GateCheck(version=spec.current_version, item=label, position=i + 1, state="na", reason="x")
        for i, label in enumerate(labels[1:])
    )
    assert not [i for i in waiting(people["lukas"]) if "gate" in i.task]


@pytest.mark.django_db
def test_na_without_a_reason_does_not_count_as_done(people) -> None:
    profile = Profile.objects.get(name="feature-spec")
    spec = ledger("gated", people, profile=profile)
    put_in_review(spec, at=timezone.now(), by=people["aisha"])
    labels = dashboard.checklists([profile])[profile.pk]
    # The database refuses N/A without a reason, so a blank-ish one is the closest thing.
    GateCheck.objects.bulk_create(
        GateCheck(version=spec.current_version, item=label, position=i, state="checked")
        for i, label in enumerate(labels[:-1])
    )
    assert f"Tick 1 of {len(labels)} gate item" in [i.task for i in waiting(people["jonas"])]


# --- my specs -----------------------------------------------------------------------------


def my_rows(user, now=None):
    profiles = list(Profile.objects.all())
    return mine.my_specs(user, dashboard.checklists(profiles), now or timezone.now())


@pytest.mark.django_db
def test_my_specs_name_the_next_blocker_and_progress(people) -> None:
    now = timezone.now()
    reviewed_spec = ledger("ledger-export", people, uploaded_at=now - 5 * DAY)
    [row] = my_rows(people["aisha"])
    assert row.blocker == "ready to submit"
    put_in_review(reviewed_spec, at=now - 4 * DAY, by=people["aisha"])
    [row] = my_rows(people["aisha"], now)
    assert row.blocker == (
        "waiting on the Engineering Responsible, Lukas Novak, Consulted, Kenji Watanabe and "
        "Accountable, Jonas Muller, for 4 days (and 1 more area)"
    )
    for person, area, role, decision in (
        ("lukas", "Engineering", "R", "approve"),
        ("kenji", "Engineering", "C", "no_concerns"),
        ("jonas", "Engineering", "A", "approve"),
        ("kenji", "Security/Privacy", "R", "approve"),
    ):
        sign(reviewed_spec, people[person], area, role, decision)
    [row] = my_rows(people["aisha"], now)
    assert row.blocker == "waiting on the Security/Privacy Accountable, Sofia Rossi, for 4 days"
    assert [(a.area, a.signed, a.total, a.done) for a in row.areas] == [
        ("Engineering", 3, 3, True),
        ("Security/Privacy", 1, 2, False),
    ]
    assert row.lint == "clean" and row.lint_ok
    sign(reviewed_spec, people["sofia"], "Security/Privacy", "A")
    [row] = my_rows(people["aisha"], now)
    assert row.blocker == "ready for approval"  # the generic profile has no gate items


@pytest.mark.django_db
def test_my_specs_after_changes_requested(reviewed_spec, people) -> None:
    submit(reviewed_spec, people["aisha"])
    sign(reviewed_spec, people["sofia"], "Security/Privacy", "A", "request_changes", "Encrypt")
    [row] = my_rows(people["aisha"])
    assert row.blocker == (
        "waiting on the author for a new version; changes requested by "
        "Sofia Rossi (Security/Privacy Accountable)"
    )
    assert my_rows(people["jonas"]) == []  # only the author's own specs


def test_blocker_of_a_draft_names_lint_first() -> None:
    snapshot = workflow.ReviewSnapshot(
        state=workflow.State.DRAFT, version=2, author_id=1, lint_errors=3
    )
    progress = mine.gates.gate_progress(())
    assert mine.next_blocker(snapshot, (), progress, "for 1 day") == (
        "Lint: 3 errors on v2 and no override recorded"
    )
    closed = workflow.ReviewSnapshot(state=workflow.State.APPROVED, version=1, author_id=1)
    assert mine.next_blocker(closed, (), progress, "") == ""


# --- all specs: filters and cursor ---------------------------------------------------------


def test_cursor_round_trip_and_garbage() -> None:
    cursor = listing.encode_cursor("-updated", NOW, 42)
    assert listing.decode_cursor(cursor, "-updated") == (NOW, 42)
    assert listing.decode_cursor(cursor, "-created") is None  # a cursor of another sort
    assert listing.decode_cursor("not a cursor!", "-updated") is None
    naive = listing.encode_cursor("title", "A title", 7)
    assert listing.decode_cursor(naive, "title") == ("A title", 7)


def page_through(user, filters, monkeypatch, size=2) -> list[str]:
    monkeypatch.setattr(listing, "PAGE_SIZE", size)
    slugs: list[str] = []
    cursor = ""
    for _ in range(20):
        page = listing.spec_page(user, {**filters, "cursor": cursor}, NOW)
        slugs += [s["slug"] for s in page.rows]
        if page.next_cursor is None:
            return slugs
        cursor = page.next_cursor
    raise AssertionError("the cursor never ended")


@pytest.mark.django_db
@pytest.mark.parametrize("sort", list(listing.SORTS))
def test_cursor_pages_visit_every_visible_spec_once_in_order(
    people, make_spec, monkeypatch, sort
) -> None:
    base = timezone.now() - 10 * DAY
    for i, title in enumerate(["b", "a", "c", "a", "d"]):
        spec = make_spec(f"spec-{i}", owner=people["aisha"])
        # Equal titles and timestamps: the id breaks the tie, so no row repeats or goes missing.
        Spec.objects.filter(pk=spec.pk).update(title=title, updated_at=base + (i // 2) * DAY)
    make_spec("private", owner=people["jonas"])
    slugs = page_through(people["aisha"], {"sort": sort}, monkeypatch)
    expected = [s.slug for s in listing.sorted_specs(Spec.objects.exclude(slug="private"), sort)]
    assert slugs == expected and len(set(slugs)) == 5


@pytest.mark.django_db
def test_the_list_as_it_opens_reads_what_a_filtered_list_reads(
    people, make_spec, make_user, reviewed_spec, monkeypatch
) -> None:
    """The unfiltered list is a statement compiled once (core.statements); a filtered one
    compiles its queryset each time. A filter that keeps every spec must change nothing."""
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    make_spec("private", owner=people["jonas"])
    make_spec("another", owner=people["aisha"])
    submit(reviewed_spec, people["aisha"])
    root = make_user("root", is_superuser=True)
    now = timezone.now()

    def shown(page):  # time in review is counted to each statement's own now()
        rows = [{k: v for k, v in row.items() if k != "time_in_review"} for row in page.rows]
        return rows, [row["time_in_review"] is None for row in page.rows], page

    for user in (people["aisha"], people["jonas"], people["outsider"], root):
        for sort in listing.SORTS:
            cursor = ""
            while True:
                plain = listing.spec_page(user, {"sort": sort, "cursor": cursor}, now)
                kept = listing.spec_page(user, {"sort": sort, "cursor": cursor, "age": "week"}, now)
                assert shown(plain)[:2] == shown(kept)[:2]
                assert (plain.total, plain.next_cursor) == (kept.total, kept.next_cursor)
                if not plain.next_cursor:
                    break
                cursor = plain.next_cursor
    assert listing.spec_page(root, {}, now).total == Spec.objects.count() == 3
    assert listing.spec_page(people["outsider"], {}, now).total == 0


@pytest.mark.django_db
def test_filters_by_state_profile_area_person_and_age(reviewed_spec, people, make_spec) -> None:
    submit(reviewed_spec, people["aisha"])
    make_spec("lonely-draft", owner=people["aisha"])
    grant(Spec.objects.get(slug="lonely-draft"), people["jonas"], SpecAction.VIEW)
    visible = visible_specs(people["jonas"])

    def slugs(**filters):
        return sorted(s.slug for s in listing.filter_specs(visible, filters, timezone.now()))

    assert slugs() == ["ledger-export", "lonely-draft"]
    assert slugs(state="in_review") == ["ledger-export"]
    assert slugs(profile="generic") == ["ledger-export", "lonely-draft"]
    assert slugs(profile="tech-spec") == []
    assert slugs(area="security/privacy") == ["ledger-export"]
    assert slugs(person="sofia") == ["ledger-export"]
    assert slugs(person="aisha") == ["ledger-export", "lonely-draft"]  # the author
    assert slugs(age="week") == ["ledger-export", "lonely-draft"]
    assert slugs(age="older") == []


@pytest.mark.django_db
def test_csv_rows_are_filtered_and_defused(reviewed_spec, people, make_spec) -> None:
    Spec.objects.filter(pk=reviewed_spec.pk).update(title="=HYPERLINK(1)")
    submit(reviewed_spec, people["aisha"])
    make_spec("secret", owner=people["jonas"])
    rows = list(listing.csv_rows(visible_specs(people["aisha"]), {}, timezone.now()))
    assert rows[0] == listing.CSV_HEADER
    [row] = rows[1:]
    assert row[0] == "ledger-export" and row[1] == "'=HYPERLINK(1)"
    assert row[3] == "in_review" and row[9] == "0.0" and row[10] == 0


# --- trends -------------------------------------------------------------------------------


def history(people, slug, *, created, steps, owner="aisha") -> Spec:
    spec = spec_actions.create_spec(
        title=slug,
        slug=slug,
        profile=Profile.objects.get(name="generic"),
        author=people[owner],
        created_at=created,
    )
    state = "draft"
    for verb, target, at in steps:
        record_event(verb, actor=None, spec_id=spec.pk, data={"from": state, "to": target}, at=at)
        state = target
    Spec.objects.filter(pk=spec.pk).update(state=state)
    return spec


@pytest.mark.django_db
def test_trends_from_the_audit_trail(people) -> None:
    now = timezone.now()
    history(
        people,
        "two-days",
        created=now - 20 * DAY,
        steps=[
            ("spec.submit", "in_review", now - 13 * DAY),
            ("spec.approve", "approved", now - 11 * DAY),
        ],
    )
    history(
        people,
        "four-days",
        created=now - 20 * DAY,
        steps=[
            ("spec.submit", "in_review", now - 10 * DAY),
            ("spec.approve", "approved", now - 6 * DAY),
        ],
    )
    history(
        people, "open", created=now - 9 * DAY, steps=[("spec.submit", "in_review", now - 8 * DAY)]
    )
    history(  # somebody else's: never counted for Aisha
        people,
        "private",
        created=now - 20 * DAY,
        owner="jonas",
        steps=[
            ("spec.submit", "in_review", now - 13 * DAY),
            ("spec.approve", "approved", now - DAY),
        ],
    )
    specs = visible_specs(people["aisha"])

    [median] = trends.median_time_to_approval(specs)
    assert (median.approved, median.median_days) == (2, 3.0)
    buckets = dict(trends.approval_distribution(specs))
    assert buckets["1-3 d"] == 1 and buckets["3-7 d"] == 1 and sum(buckets.values()) == 2
    assert sum(n for _, n in trends.approvals_per_week(specs, now)) == 2
    opened = trends.open_reviews(specs)
    assert opened.count == 1 and opened.median_days == pytest.approx(8.0, abs=0.01)

    days, series = trends.states_over_time(specs, now, weeks=4)
    assert len(days) == 4 and days[-1] == now.date()
    # points: now-21d, now-14d, now-7d, now
    assert series["draft"] == [0, 2, 0, 0], series
    assert series["in_review"] == [0, 0, 2, 1]
    assert series["approved"] == [0, 0, 1, 2]


@pytest.mark.django_db
def test_trends_follow_the_filters(people) -> None:
    now = timezone.now()
    history(people, "a", created=now - 3 * DAY, steps=[("spec.submit", "in_review", now - DAY)])
    specs = listing.filter_specs(visible_specs(people["aisha"]), {"state": "approved"}, now)
    _, series = trends.states_over_time(specs, now, weeks=2)
    assert not any(sum(v) for v in series.values())


def test_the_waiting_sql_says_what_the_sign_off_rules_say(reviewed_spec, people):
    """awaiting_sign_off restates the matrix's "pending or stale" cells in SQL for speed."""
    actions.transition(
        spec=reviewed_spec,
        name="submit",
        by=people["aisha"],
        expected_row_version=Spec.objects.get(pk=reviewed_spec.pk).row_version,
    )
    actions.sign_off(
        spec=reviewed_spec,
        area="Engineering",
        role="A",
        decision="approve",
        comment="",
        by=people["jonas"],
        expected_version=1,
    )
    spec = Spec.objects.with_current_version().get(pk=reviewed_spec.pk)
    matrix = signoff_matrix(load_review(spec).snapshot)
    for person in people.values():
        by_rule = {
            (row.area, cell.role.value)
            for row in matrix
            for cell in row.cells
            if cell.user_id == person.pk and cell.state in {CellState.PENDING, CellState.STALE}
        }
        by_sql = {
            (row["area"], row["role"])
            for row in RaciAssignment.objects.awaiting_sign_off(person, visible_specs(person))
        }
        assert by_sql == by_rule, person.username
