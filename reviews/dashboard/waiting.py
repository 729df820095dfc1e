"""'Waiting on me': pending sign-offs, gates to tick, blocking comments, oldest first, with dues.

A fixed number of queries whatever the number of specs: one each for RACI slots without a
sign-off on the current version, specs in review with unticked gate items, my specs with
changes requested, and blocking comments waiting on me (to address, or to verify and resolve).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from core.statements import Statement
from reviews.models import Comment, CommentState, GateCheck, RaciAssignment, Role, SignOff
from reviews.rules.vocabulary import AuditVerb, Verdict
from specs import permissions
from specs.models import spec_page_url
from specs.permissions import Reach, SpecAction, specs_reached

from .due import days_between, due_at
from .sql import event_at, waiting_since

WAITING_LIMIT = 100  # per kind; the oldest are the ones that matter


@dataclass(frozen=True)
class WaitingItem:
    slug: str
    title: str
    version: int
    task: str
    since: datetime.datetime
    due: datetime.datetime
    overdue: bool
    days_waiting: int

    @property
    def url(self) -> str:
        return spec_page_url(self.slug)


def done_gate_count() -> Coalesce:
    done = (
        GateCheck.objects.filter(version=OuterRef("current_version"))
        .filter(Q(state="checked") | (Q(state="na") & ~Q(reason="")))
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(done, output_field=IntegerField()), 0)


def gate_total(totals: Mapping[int, int]) -> Case:
    """Each profile's checklist length, computed in Python from the templates, as SQL."""
    whens = [When(profile_id=pk, then=Value(n)) for pk, n in totals.items() if n]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def gates_to_tick(visible: QuerySet, reviewable: QuerySet, totals: Mapping[int, int]) -> QuerySet:
    """Specs in review that I may review (``reviewable``: ``specs_for(user, REVIEW)`` or the
    same set) whose current version has gate items left to tick."""
    return (
        visible.filter(state="in_review", pk__in=reviewable.values("pk"))
        .annotate(gates_done=done_gate_count(), gates_total=gate_total(totals))
        .filter(gates_total__gt=0, gates_done__lt=F("gates_total"))
        .annotate(since=waiting_since())
        .values("slug", "title", "current_version__number", "since", "gates_done", "gates_total")
        .order_by("since", "pk")
    )


def changes_to_address(user, visible: QuerySet) -> QuerySet:
    """My specs whose reviewers asked for changes: they wait on my next version."""
    return (
        visible.filter(author=user, state="changes_requested")
        .annotate(since=event_at(AuditVerb.REQUEST_CHANGES))
        .values("slug", "title", "current_version__number", "since")
        .order_by("since", "pk")
    )


# Each read compiled once per process (core.statements) for each reach (and, for the gates,
# each set of checklist lengths): the user is a placeholder, the SQL the querysets' own.
_USER = BigIntegerField()


def _visible(scope: Reach, user):
    return specs_reached(scope, SpecAction.VIEW, user)


_AWAITING = Statement(
    lambda scope, user: RaciAssignment.objects.awaiting_sign_off(user, _visible(scope, user))[
        :WAITING_LIMIT
    ],
    user=_USER,
)
_GATES = Statement(
    lambda scope, totals, user: gates_to_tick(
        _visible(scope, user), specs_reached(scope, SpecAction.REVIEW, user), dict(totals)
    )[:WAITING_LIMIT],
    user=_USER,
)
_CHANGES = Statement(
    lambda scope, user: changes_to_address(user, _visible(scope, user))[:WAITING_LIMIT],
    user=_USER,
)
_VETOES = Statement(
    lambda scope, user: SignOff.objects.standing_vetoes(user, _visible(scope, user))[
        :WAITING_LIMIT
    ],
    user=_USER,
)
_COMMENTS = Statement(
    lambda scope, user: Comment.objects.blocking_waiting_on(user, _visible(scope, user))[
        :WAITING_LIMIT
    ],
    user=_USER,
)


def _comment_items(rows, now: datetime.datetime) -> list[WaitingItem]:
    """One item per spec and kind (verify or address), waiting since the oldest comment."""
    grouped: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        grouped.setdefault((row["spec__slug"], row["state"]), []).append(row)
    items = []
    for (slug, state), rows in grouped.items():
        n, plural = len(rows), "s" if len(rows) != 1 else ""
        task = (
            f"Verify {n} blocking comment{plural} marked addressed, then resolve or reopen"
            if state == CommentState.ADDRESSED
            else f"Address {n} open blocking comment{plural}"
        )
        first = rows[0]
        items.append(
            _item(
                slug,
                first["spec__title"],
                first["spec__current_version__number"],
                task,
                first["since"],
                now,
            )
        )
    return items


def waiting_on(user, totals: Mapping[int, int], now: datetime.datetime) -> list[WaitingItem]:
    """Everything waiting on ``user``, oldest first (at most WAITING_LIMIT of each kind)."""
    scope = permissions.reach(user)
    if scope is Reach.NONE:
        return []
    items = [
        _item(
            row["spec__slug"],
            row["spec__title"],
            row["spec__current_version__number"],
            f"Sign off as {Role(row['role']).label} for {row['area']}",
            row["since"],
            now,
        )
        for row in _AWAITING.rows(scope, user=user.pk)
    ]
    for row in _GATES.rows(scope, tuple(sorted(totals.items())), user=user.pk):
        left = row["gates_total"] - row["gates_done"]
        task = f"Tick {left} of {row['gates_total']} gate item{'s' if left != 1 else ''}"
        items.append(
            _item(
                row["slug"], row["title"], row["current_version__number"], task, row["since"], now
            )
        )
    for row in _CHANGES.rows(scope, user=user.pk):
        task = "Upload a new version: changes were requested"
        items.append(
            _item(
                row["slug"], row["title"], row["current_version__number"], task, row["since"], now
            )
        )
    for row in _VETOES.rows(scope, user=user.pk):
        verdict = Verdict(row["decision"]).recorded.lower()
        task = f"Re-sign or withdraw your {verdict} for {row['area']} (from v{row['carried_from']})"
        items.append(
            _item(
                row["version__spec__slug"],
                row["version__spec__title"],
                row["version__number"],
                task,
                row["recorded_at"],
                now,
            )
        )
    items.extend(_comment_items(_COMMENTS.rows(scope, user=user.pk), now))
    return sorted(items, key=lambda item: (item.since, item.slug, item.task))


def _item(slug, title, version, task, since, now) -> WaitingItem:
    since = since or now
    due = due_at(since)
    return WaitingItem(
        slug=slug,
        title=title,
        version=version or 0,
        task=task,
        since=since,
        due=due,
        overdue=due < now,
        days_waiting=days_between(since, now),
    )
