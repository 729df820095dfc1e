"""Aggregates over the specs a person can see, computed in SQL, shaped for the charts module.

Every function takes the (filtered) visible specs, so a trend never counts a spec the person
may not open: the visibility subquery is part of each SQL statement.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import Count, F, FloatField, Func, IntegerField, QuerySet, Value
from django.db.models.functions import Now, TruncWeek

from core.models import AuditEvent
from reviews.rules.vocabulary import AuditVerb, SpecVerb
from specs.vocabulary import SpecState

from .sql import APPROVE, OPEN_STATES, SUBMIT, Epoch, Median, event_at

WEEKS = 26
DAY = 86400.0
# (label, upper bound in days): time-to-approval histogram buckets.
APPROVAL_BUCKETS: tuple[tuple[str, float | None], ...] = (
    ("< 1 d", 1),
    ("1-3 d", 3),
    ("3-7 d", 7),
    ("1-2 wk", 14),
    ("2-4 wk", 28),
    ("1-2 mo", 61),
    ("> 2 mo", None),
)
STATE_CHANGE_VERBS = (
    SpecVerb.CREATED,
    AuditVerb.SUBMIT,
    AuditVerb.REQUEST_CHANGES,
    AuditVerb.NEW_VERSION,
    AuditVerb.APPROVE,
    AuditVerb.REJECT,
    AuditVerb.WITHDRAW,
)


class WidthBucket(Func):
    """PostgreSQL's width_bucket(x, thresholds): 0 below the first bound, i from bound i on.

    One call evaluates the (subquery-heavy) duration once, where a CASE would once per branch.
    """

    function = "width_bucket"
    output_field = IntegerField()

    def __init__(self, expression, bounds: list[float]) -> None:
        super().__init__(expression, Value(bounds, output_field=ArrayField(FloatField())))


@dataclass(frozen=True)
class ProfileMedian:
    profile: str
    approved: int
    median_days: float


@dataclass(frozen=True)
class OpenReviews:
    count: int
    median_days: float | None
    p90_days: float | None


def _approved(specs: QuerySet) -> QuerySet:
    """Approved specs with their review time: from first submit to the latest approval."""
    return (
        specs.filter(state=SpecState.APPROVED)
        .annotate(submitted_at=event_at(SUBMIT, latest=False), approved_at=event_at(APPROVE))
        .filter(submitted_at__isnull=False, approved_at__isnull=False)
        .annotate(review_days=Epoch(F("approved_at") - F("submitted_at")) / DAY)
    )


def median_time_to_approval(specs: QuerySet) -> list[ProfileMedian]:
    rows = (
        _approved(specs)
        .values("profile__title")
        .annotate(approved=Count("pk"), median_days=Median("review_days"))
        .order_by("profile__title")
    )
    return [
        ProfileMedian(r["profile__title"], r["approved"], round(r["median_days"], 1)) for r in rows
    ]


def approval_distribution(specs: QuerySet) -> list[tuple[str, int]]:
    """How many approved specs took how long, in APPROVAL_BUCKETS order (zeros included)."""
    bounds = [float(upper) for _, upper in APPROVAL_BUCKETS if upper is not None]
    counts = dict(
        _approved(specs)
        .annotate(bucket=WidthBucket("review_days", bounds))
        .values("bucket")
        .annotate(n=Count("pk"))
        .values_list("bucket", "n")
    )
    return [(label, counts.get(i, 0)) for i, (label, _) in enumerate(APPROVAL_BUCKETS)]


def open_reviews(specs: QuerySet) -> OpenReviews:
    """Specs in review now, and how long they have been (median and 90th percentile, days)."""
    days = Epoch(Now() - F("submitted_at")) / DAY
    row = (
        specs.filter(state__in=OPEN_STATES)
        .annotate(submitted_at=event_at(SUBMIT, latest=False))
        .aggregate(
            count=Count("pk"),
            median=Median(days),
            p90=Median(days, fraction=0.9),
        )
    )
    return OpenReviews(row["count"], _days(row["median"]), _days(row["p90"]))


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def week_starts(now: datetime.datetime, weeks: int = WEEKS) -> list[datetime.date]:
    monday = now.date() - datetime.timedelta(days=now.weekday())
    return [monday - datetime.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def approvals_per_week(specs: QuerySet, now: datetime.datetime) -> list[tuple[datetime.date, int]]:
    weeks = week_starts(now)
    start = datetime.datetime.combine(weeks[0], datetime.time(), tzinfo=datetime.UTC)
    counts = {
        row["week"].date(): row["n"]
        for row in AuditEvent.objects.filter(
            verb=APPROVE, at__gte=start, spec_id__in=specs.values("pk")
        )
        .annotate(week=TruncWeek("at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    }
    return [(week, counts.get(week, 0)) for week in weeks]


# Each spec's state history as spans [since, until) from its state-changing audit events
# (SpecVerb.CREATED starts a draft; transitions carry their target in data->>'to'), then a count of
# the spans that cover the end of each week. One statement; the visibility subquery is inlined.
_STATES_OVER_TIME = """
WITH visible AS ({visible}),
changes AS (
    SELECT e.spec_id, e.at, e.id,
           CASE WHEN e.verb = %s THEN 'draft' ELSE e.data ->> 'to' END AS state
    FROM core_auditevent e
    WHERE e.spec_id IN (SELECT v.pk FROM visible v) AND e.verb = ANY(%s)
),
spans AS (
    SELECT state, at AS since,
           lead(at) OVER (PARTITION BY spec_id ORDER BY at, id) AS until
    FROM changes
    WHERE state IS NOT NULL
),
week_ends AS (
    SELECT i, %s::timestamptz + i * interval '7 days' AS at FROM generate_series(0, %s) AS i
)
SELECT w.i, s.state, count(*)
FROM week_ends w
JOIN spans s ON s.since <= w.at AND (s.until IS NULL OR s.until > w.at)
GROUP BY w.i, s.state
"""


def states_over_time(
    specs: QuerySet, now: datetime.datetime, weeks: int = WEEKS
) -> tuple[list[datetime.date], dict[str, list[int]]]:
    """How many specs were in each state at weekly points ending now (oldest first)."""
    first = now - datetime.timedelta(weeks=weeks - 1)
    visible_sql, visible_params = specs.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            _STATES_OVER_TIME.format(visible=visible_sql),
            (
                *visible_params,
                str(SpecVerb.CREATED),
                list(STATE_CHANGE_VERBS),
                first,
                weeks - 1,
            ),
        )
        found = cursor.fetchall()
    series = {state.value: [0] * weeks for state in SpecState}
    for i, state, count in found:
        if state in series:
            series[state][i] = count
    days = [(first + datetime.timedelta(weeks=i)).date() for i in range(weeks)]
    return days, series
