"""'My specs': each of my specs with its review progress and the next blocker, in words.

Five queries whatever the number of specs, areas or people: the specs, then their RACI,
current-version sign-offs and gate ticks in bulk. The pure rules (``signoff_matrix``,
``gate_progress``, ``lint_reasons``, ``raci_reasons``) then run on snapshots built here, so the
dashboard and the review page cannot disagree about who is waited on.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from reviews.models import GateCheck, LintOverride, RaciAssignment, SignOff
from reviews.rules import gates, workflow
from reviews.rules import signoffs as signoff_rules
from reviews.snapshot import gate_items, snapshot_from_rows
from specs.models import Spec

from .due import days_between, for_days
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
class MySpecRow:
    spec: Spec
    areas: tuple[AreaProgress, ...]
    gates: gates.GateProgress
    lint: str
    lint_ok: bool
    blocker: str


def my_specs_queryset(user, visible: QuerySet) -> QuerySet:
    override = LintOverride.objects.filter(version=OuterRef("current_version"))
    return (
        visible.filter(author=user)
        .select_related("current_version")
        .only(
            "slug",
            "title",
            "state",
            "author_id",
            "profile_id",
            "updated_at",
            "current_version__number",
            "current_version__uploaded_at",
            "current_version__lint_errors",
            "current_version__lint_warnings",
            "current_version__linted_at",
        )
        .annotate(since=waiting_since(), lint_overridden=Exists(override))
        .order_by("-updated_at", "-pk")
    )


def my_specs(
    user,
    visible: QuerySet,
    checklists: Mapping[int, tuple[str, ...]],
    now: datetime.datetime,
) -> list[MySpecRow]:
    """My latest specs (at most MY_SPECS_LIMIT), with the state of their review."""
    specs = list(my_specs_queryset(user, visible)[:MY_SPECS_LIMIT])
    version_ids = [s.current_version_id for s in specs if s.current_version_id]
    raci: dict[int, list[RaciAssignment]] = defaultdict(list)
    for a in (
        RaciAssignment.objects.filter(spec__in=[s.pk for s in specs])
        .select_related("user")
        .only("spec_id", "area", "role", "user__username", "user__first_name", "user__last_name")
        .order_by("pk")
    ):
        raci[a.spec_id].append(a)
    signoffs: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for signed in (
        SignOff.objects.current()
        .filter(version__in=version_ids)
        .order_by()
        .values("version_id", "area", "role", "user_id", "decision")
    ):
        signoffs[signed["version_id"]].append(dict(signed))
    ticks: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    for tick in (
        GateCheck.objects.filter(version__in=version_ids)
        .order_by()
        .values("version_id", "item", "state", "reason")
    ):
        ticks[tick["version_id"]][tick["item"]] = dict(tick)
    names = {user.pk: user.display_name}
    return [
        _row(
            spec,
            snapshot_of(spec, raci[spec.pk], signoffs[spec.current_version_id], names),
            gate_items(checklists.get(spec.profile_id, ()), ticks[spec.current_version_id]),
            now,
        )
        for spec in specs
    ]


def snapshot_of(spec: Spec, assignments, signoffs, names: Mapping[int, str]):
    """The same snapshot the review page builds (reviews.snapshot), from the dashboard's rows."""
    version = spec.current_version
    number = version.number if version else 0
    all_names = dict(names)
    all_names.update({a.user_id: a.user.display_name for a in assignments if a.user_id})
    return snapshot_from_rows(
        spec,
        version_number=number,
        lint_errors=version.lint_errors if version else None,
        lint_override=bool(getattr(spec, "lint_overridden", False)),
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
        names=all_names,
    )


def _row(spec: Spec, snapshot, items, now: datetime.datetime) -> MySpecRow:
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
    since = getattr(spec, "since", None) or now
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
