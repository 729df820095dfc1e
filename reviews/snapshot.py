"""Loading a spec's review state from the database into the pure workflow's values.

A fixed number of queries whatever the number of areas, people, sign-offs or versions: the
review page and every action's guard call `load_review` and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django.contrib.auth import get_user_model

from reviews.models import (
    Comment,
    CommentState,
    GateCheck,
    LintOverride,
    RaciAssignment,
    Role,
    SignOff,
)
from reviews.rules import gates, staleness, workflow
from specs.models import Spec, SpecVersion
from specs.permissions import SpecAbilities
from specs.profiles import checklist_items


@dataclass(frozen=True)
class ReviewState:
    spec: Spec
    version: SpecVersion  # the current version: reviews happen on it
    snapshot: workflow.ReviewSnapshot
    assignments: tuple[RaciAssignment, ...]
    gate_checks: dict[str, GateCheck]
    lint_override: LintOverride | None  # on this version, or carried from an older one
    # Errors the latest override did not cover: why it did not carry (empty when it did).
    new_lint_errors: tuple[dict, ...] = ()

    @property
    def override_carried_from(self) -> int | None:
        override = self.lint_override
        if override is None or override.version_id == self.version.pk:
            return None
        return override.version.number

    @property
    def unmatched(self) -> tuple[RaciAssignment, ...]:
        return tuple(a for a in self.assignments if a.user_id is None)

    @property
    def gate_items(self) -> tuple[gates.GateItem, ...]:
        return self.snapshot.gates

    def gate_check(self, key: str) -> GateCheck | None:
        return self.gate_checks.get(key)


def load_review(spec: Spec) -> ReviewState:
    version = spec.current_version
    assert version is not None, "every spec is created with its first version"
    assignments = tuple(
        RaciAssignment.objects.filter(spec=spec).select_related("user").order_by("id")
    )
    signoffs = tuple(
        SignOff.objects.current()
        .filter(version__spec=spec)
        .select_related("version")
        .only("area", "role", "user_id", "decision", "comment", "carried_from", "version__number")
        .order_by("recorded_at", "id")
    )
    checks = {c.item: c for c in GateCheck.objects.filter(version=version).select_related("by")}
    override, new_errors = _effective_override(spec, version)
    snapshot = snapshot_from_rows(
        spec,
        version_number=version.number,
        lint_errors=version.lint_errors,
        lint_override=override is not None,
        assignments=assignments,
        signoffs=tuple(_signoff(s) for s in signoffs),
        gate_items=gate_items(
            checklist_items(spec.profile),
            {item: {"state": c.state, "reason": c.reason} for item, c in checks.items()},
        ),
        # Addressed is not settled: a blocking comment stops blocking once its author resolves it.
        open_blocking_comments=Comment.objects.filter(spec=spec, parent=None, blocking=True)
        .exclude(state=CommentState.RESOLVED)
        .count(),
        names=_names(assignments, signoffs, spec),
    )
    return ReviewState(spec, version, snapshot, assignments, checks, override, new_errors)


def _effective_override(spec: Spec, version: SpecVersion) -> tuple[LintOverride | None, tuple]:
    """The latest lint override up to this version; an older one counts only while this
    version has no error it did not (reviews.rules.staleness.new_lint_errors)."""
    latest = (
        LintOverride.objects.filter(version__spec=spec, version__number__lte=version.number)
        .select_related("version", "recorded_by")
        .order_by("-version__number")
        .first()
    )
    if latest is None or latest.version_id == version.pk:
        return latest, ()
    new = staleness.new_lint_errors(latest.version.lint_findings or [], version.lint_findings or [])
    return (None, tuple(new)) if new else (latest, ())


def actor_for(user, spec: Spec, can: SpecAbilities) -> workflow.Actor:
    return workflow.Actor(
        user_id=user.pk,
        is_author=spec.author_id == user.pk,
        can_upload=can.can_upload,
        can_review=can.can_review,
        can_approve=can.can_approve,
        can_administer=can.can_administer,
    )


class ReviewedSpec(Protocol):
    """What a snapshot reads of the spec itself: a Spec, or the dashboard's row of one."""

    @property
    def state(self) -> str: ...

    @property
    def author_id(self) -> int: ...


def snapshot_from_rows(
    spec: ReviewedSpec,
    *,
    version_number: int,
    lint_errors: int | None,
    lint_override: bool,
    assignments,
    signoffs: tuple[workflow.SignOff, ...],
    gate_items: tuple[gates.GateItem, ...] = (),
    open_blocking_comments: int = 0,
    names: Mapping[int, str],
) -> workflow.ReviewSnapshot:
    """The one constructor of a review snapshot, for the review page and the dashboard alike.

    `assignments` are RACI rows (area, role, user_id); `signoffs` the current decisions.
    """
    return workflow.ReviewSnapshot(
        state=workflow.State(spec.state),
        version=version_number,
        author_id=spec.author_id,
        lint_errors=lint_errors,
        lint_override=lint_override,
        areas=_areas(assignments),
        signoffs=signoffs,
        gates=gate_items,
        open_blocking_comments=open_blocking_comments,
        names=names,
    )


def _areas(assignments) -> tuple[workflow.Area, ...]:
    people: dict[str, dict[str, list[int]]] = {}
    for a in assignments:
        slots = people.setdefault(a.area, {role: [] for role in Role})
        if a.user_id is not None:
            slots[a.role].append(a.user_id)
    return tuple(
        workflow.Area(
            name=area,
            accountable=tuple(slots["A"]),
            responsible=tuple(slots["R"]),
            consulted=tuple(slots["C"]),
            informed=tuple(slots["I"]),
        )
        for area, slots in people.items()
    )


def _signoff(s: SignOff) -> workflow.SignOff:
    return workflow.SignOff(
        area=s.area,
        role=workflow.Role(s.role),
        user_id=s.user_id,
        decision=workflow.Verdict(s.decision),
        version=s.version.number,
        comment=s.comment,
        carried_from=s.carried_from,
    )


def gate_items(labels, ticks: Mapping[str, Mapping]) -> tuple[gates.GateItem, ...]:
    """A checklist's items in order, each with its tick (state and reason) on this version."""
    items = []
    for label in labels:
        tick = ticks.get(label)
        state = gates.GateState(tick["state"]) if tick else gates.GateState.UNCHECKED
        items.append(
            gates.GateItem(
                key=label, label=label, state=state, reason=tick["reason"] if tick else ""
            )
        )
    return tuple(items)


def _names(assignments, signoffs, spec: Spec) -> dict[int, str]:
    names = {a.user_id: a.user.display_name for a in assignments if a.user is not None}
    names[spec.author_id] = spec.author.display_name
    missing = {s.user_id for s in signoffs}
    missing -= names.keys()
    if missing:
        for user in get_user_model().objects.filter(pk__in=missing):
            names[user.pk] = user.display_name
    return names
