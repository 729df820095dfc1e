"""'My specs': each of my specs with its review progress and the next blocker, in words.

Four queries whatever the number of specs, areas or people (none after the first when I have
written nothing): the specs, then their RACI, current-version sign-offs and gate ticks in bulk,
each a statement compiled once per process (core.statements), read as values() rows. The pure
rules (``signoff_matrix``, ``gate_progress``, ``lint_reasons``, ``raci_reasons``) then run on
snapshots built here, so the dashboard and the review page cannot disagree about who is waited
on.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.contrib.postgres.fields import ArrayField
from django.db.models import BigIntegerField, Exists, OuterRef, QuerySet

from accounts.models import display_name
from core.statements import IsIn, Statement
from reviews.models import GateCheck, LintOverride, RaciAssignment, SignOff
from reviews.rules import gates, workflow
from reviews.rules import signoffs as signoff_rules
from reviews.snapshot import gate_items, snapshot_from_rows
from specs import permissions
from specs.models import spec_page_url
from specs.permissions import Reach, SpecAction, specs_reached

from .due import days_between, for_days
from .listing import STATE_LABELS
from .sql import waiting_since

MY_SPECS_LIMIT = 50
_WAITED_ON = frozenset({signoff_rules.CellState.PENDING, signoff_rules.CellState.STALE})
_SIGNED = frozenset({signoff_rules.CellState.APPROVED, signoff_rules.CellState.NO_CONCERNS})


@dataclass(frozen=True)
class AreaProgress:
    area: str
    signed: int
    total: int
    done: bool


@dataclass(frozen=True)
class MySpec:
    """One of my specs as the table shows it (and as a snapshot reads it: state, author)."""

    pk: int
    slug: str
    title: str
    state: str
    author_id: int
    profile_id: int
    version_id: int | None
    version_number: int | None
    lint_errors: int | None
    lint_overridden: bool
    since: datetime.datetime | None

    @property
    def url(self) -> str:
        return spec_page_url(self.slug)

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


@dataclass(frozen=True)
class MySpecRow:
    spec: MySpec
    areas: tuple[AreaProgress, ...]
    gates: gates.GateProgress
    lint: str
    lint_ok: bool
    blocker: str


class RaciRow(NamedTuple):
    """A RACI slot as reviews.snapshot reads one (area, role, user_id)."""

    area: str
    role: str
    user_id: int | None


def my_specs_queryset(user, visible: QuerySet) -> QuerySet:
    override = LintOverride.objects.filter(version=OuterRef("current_version"))
    return (
        visible.filter(author=user)
        .annotate(since=waiting_since(), lint_overridden=Exists(override))
        .order_by("-updated_at", "-pk")
        .values(
            "pk",
            "slug",
            "title",
            "state",
            "author_id",
            "profile_id",
            "current_version_id",
            "current_version__number",
            "current_version__lint_errors",
            "since",
            "lint_overridden",
        )
    )


# Compiled once per process (core.statements): the user and the ids read are placeholders.
_USER = BigIntegerField()
_IDS = ArrayField(BigIntegerField())
_MY_SPECS = Statement(
    lambda scope, limit, user: my_specs_queryset(user, specs_reached(scope, SpecAction.VIEW, user))[
        :limit
    ],
    user=_USER,
)
_RACI = Statement(
    lambda specs: (
        RaciAssignment.objects.filter(IsIn("spec_id", specs))
        .order_by("pk")
        .values(
            "spec_id",
            "area",
            "role",
            "user_id",
            "user__username",
            "user__first_name",
            "user__last_name",
        )
    ),
    specs=_IDS,
)
_SIGNOFFS = Statement(
    lambda versions: (
        SignOff.objects.current()
        .filter(IsIn("version_id", versions))
        .order_by()
        .values("version_id", "area", "role", "user_id", "decision")
    ),
    versions=_IDS,
)
_TICKS = Statement(
    lambda versions: (
        GateCheck.objects.filter(IsIn("version_id", versions))
        .order_by()
        .values("version_id", "item", "state", "reason")
    ),
    versions=_IDS,
)


def my_specs(
    user,
    checklists: Mapping[int, tuple[str, ...]],
    now: datetime.datetime,
) -> list[MySpecRow]:
    """My latest specs (at most MY_SPECS_LIMIT), with the state of their review."""
    scope = permissions.reach(user)
    if scope is Reach.NONE:
        return []
    specs = [_my_spec(row) for row in _MY_SPECS.rows(scope, MY_SPECS_LIMIT, user=user.pk)]
    if not specs:
        return []
    version_ids = [s.version_id for s in specs if s.version_id]
    raci: dict[int, list[RaciRow]] = defaultdict(list)
    names = {user.pk: user.display_name}
    for a in _RACI.rows(specs=[s.pk for s in specs]):
        raci[a["spec_id"]].append(RaciRow(a["area"], a["role"], a["user_id"]))
        if a["user_id"]:
            names[a["user_id"]] = display_name(
                a["user__username"], a["user__first_name"], a["user__last_name"]
            )
    signoffs: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for signed in _SIGNOFFS.rows(versions=version_ids):
        signoffs[signed["version_id"]].append(signed)
    ticks: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    for tick in _TICKS.rows(versions=version_ids):
        ticks[tick["version_id"]][tick["item"]] = tick
    return [
        _row(
            spec,
            snapshot_of(spec, raci[spec.pk], signoffs[spec.version_id or 0], names),
            gate_items(checklists.get(spec.profile_id, ()), ticks[spec.version_id or 0]),
            now,
        )
        for spec in specs
    ]


def _my_spec(row: dict[str, Any]) -> MySpec:
    return MySpec(
        pk=row["pk"],
        slug=row["slug"],
        title=row["title"],
        state=row["state"],
        author_id=row["author_id"],
        profile_id=row["profile_id"],
        version_id=row["current_version_id"],
        version_number=row["current_version__number"],
        lint_errors=row["current_version__lint_errors"],
        lint_overridden=row["lint_overridden"],
        since=row["since"],
    )


def snapshot_of(spec: MySpec, assignments, signoffs, names: Mapping[int, str]):
    """The same snapshot the review page builds (reviews.snapshot), from the dashboard's rows."""
    number = spec.version_number or 0
    return snapshot_from_rows(
        spec,
        version_number=number,
        lint_errors=spec.lint_errors if spec.version_id else None,
        lint_override=spec.lint_overridden,
        assignments=assignments,
        signoffs=tuple(
            workflow.SignOff(
                area=s["area"],
                role=workflow.Role(s["role"]),
                user_id=s["user_id"],
                decision=workflow.Verdict(s["decision"]),
                version=number,
            )
            for s in signoffs
        ),
        names=names,
    )


def _row(spec: MySpec, snapshot, items, now: datetime.datetime) -> MySpecRow:
    matrix = signoff_rules.signoff_matrix(snapshot)
    progress = gates.gate_progress(items)
    areas = tuple(
        AreaProgress(
            area=row.area,
            signed=sum(1 for c in row.cells if c.state in _SIGNED),
            total=len(row.cells),
            done=row.done,
        )
        for row in matrix
    )
    lint_problems = workflow.lint_reasons(snapshot)
    lint = _lint_label(snapshot)
    since = spec.since or now
    return MySpecRow(
        spec=spec,
        areas=areas,
        gates=progress,
        lint=lint,
        lint_ok=not lint_problems,
        blocker=next_blocker(snapshot, matrix, progress, for_days(days_between(since, now))),
    )


def _lint_label(snapshot: workflow.ReviewSnapshot) -> str:
    if snapshot.lint_errors is None:
        return "not linted yet"
    if snapshot.lint_errors == 0:
        return "clean"
    errors = f"{snapshot.lint_errors} error{'s' if snapshot.lint_errors != 1 else ''}"
    return f"{errors}, overridden" if snapshot.lint_override else errors


def next_blocker(
    snapshot: workflow.ReviewSnapshot,
    matrix: tuple[signoff_rules.AreaRow, ...],
    progress: gates.GateProgress,
    waited: str,
) -> str:
    """The one thing standing between the spec and its next step, in words (pure)."""
    state = snapshot.state
    if state is workflow.State.DRAFT:
        reasons = workflow.lint_reasons(snapshot) + workflow.raci_reasons(snapshot)
        return reasons[0] if reasons else "ready to submit"
    if state is workflow.State.CHANGES_REQUESTED:
        by = [
            f"{c.name} ({row.area} {c.role.label})"
            for row in matrix
            for c in row.cells
            if c.state is signoff_rules.CellState.CHANGES_REQUESTED
        ]
        asked = f"; changes requested by {', '.join(by)}" if by else ""
        return f"waiting on the author for a new version{asked}"
    if state is not workflow.State.IN_REVIEW:
        return ""
    reasons = workflow.lint_reasons(snapshot) + workflow.raci_reasons(snapshot)
    if reasons:
        return reasons[0]
    pending = [row for row in matrix if not row.done]
    if pending:
        text = _waiting_in(pending[0], waited)
        more = len(pending) - 1
        return text + (f" (and {more} more area{'s' if more != 1 else ''})" if more else "")
    gate_problems = gates.gate_reasons(progress)
    if gate_problems:
        return gate_problems[0]
    return "ready for approval"


def _waiting_in(row: signoff_rules.AreaRow, waited: str) -> str:
    """'waiting on the Security/Privacy Accountable, Sofia Rossi, for 4 days'."""
    order = (workflow.Role.RESPONSIBLE, workflow.Role.CONSULTED, workflow.Role.ACCOUNTABLE)
    cells = [
        c
        for role in order
        for c in row.cells
        if c.role is role
        and (c.state in _WAITED_ON or (role is workflow.Role.ACCOUNTABLE and not row.done))
    ]
    if not cells:
        return f"{row.area}: {row.turn}"
    who = [f"{c.role.label}, {c.name}" for c in cells]
    people = who[0] if len(who) == 1 else ", ".join(who[:-1]) + " and " + who[-1]
    return f"waiting on the {row.area} {people}, {waited}"
