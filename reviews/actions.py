"""Writes that matter for reviews.

Each is one transaction that locks the spec row, re-asks the pure rules (reviews.workflow,
reviews.signoff_rules, reviews.gates) against freshly loaded state, writes, and records an
audit event. A form that was built from older state raises `StaleForm` (the view answers 409
with the fresh panel), never a silent overwrite.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.audit import record_event
from reviews import gates, notices, raci, signoff_rules, workflow
from reviews.models import DecisionEntry, GateCheck, LintOverride, RaciAssignment, SignOff
from reviews.snapshot import ReviewState, actor_for, load_review
from specs import permissions
from specs.models import Spec, SpecVersion

MIN_OVERRIDE_REASON_WORDS = 4


class ReviewError(ValueError):
    """An action refused for reasons the person can act on (shown to them as they are)."""

    def __init__(self, *reasons: str) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class StaleForm(ReviewError):
    """The page was built from state that has changed since: nothing was written."""


def _lock(spec: Spec, *, expected_row_version: int | None = None) -> Spec:
    """The spec, locked for this transaction; stale if it changed since the form was built."""
    locked = Spec.objects.select_for_update(of=("self",)).with_current_version().get(pk=spec.pk)
    if expected_row_version is not None and locked.row_version != expected_row_version:
        raise StaleForm("Someone changed this spec since the page was loaded.")
    return locked


def _locked_review(spec: Spec, *, expected_version: int | None = None) -> ReviewState:
    locked = _lock(spec)
    current = locked.current_version
    assert current is not None, "every spec is created with its first version"
    if expected_version is not None and current.number != expected_version:
        raise StaleForm(f"The spec moved on to v{current.number} since this page was loaded.")
    return load_review(locked)


def _bump(spec: Spec) -> None:
    Spec.objects.filter(pk=spec.pk).update(
        row_version=F("row_version") + 1, updated_at=timezone.now()
    )


@transaction.atomic
def record_lint_override(
    *, version: SpecVersion, by, reason: str, at: datetime.datetime | None = None
) -> LintOverride:
    _lock(version.spec)
    reason = " ".join(reason.split())
    if len(reason.split()) < MIN_OVERRIDE_REASON_WORDS:
        raise ReviewError("Say why these lint errors should not block review (a sentence, please).")
    if not version.lint_errors:
        raise ReviewError(f"Version {version.number} has no lint errors to override.")
    if LintOverride.objects.filter(version=version).exists():
        raise ReviewError(f"Version {version.number} already has an override.")
    now = at or timezone.now()
    override = LintOverride.objects.create(
        version=version,
        reason=reason,
        recorded_by=by,
        recorded_at=now,
        errors_at_override=version.lint_errors,
    )
    record_event(
        "lint.overridden",
        actor=by,
        spec_id=version.spec_id,
        version_number=version.number,
        target=f"lint_override:{override.pk}",
        data={"reason": reason, "errors": version.lint_errors},
        at=now,
    )
    return override


@transaction.atomic
def transition(
    *,
    spec: Spec,
    name: str,
    by,
    expected_row_version: int,
    comment: str = "",
    at: datetime.datetime | None = None,
) -> Spec:
    """Take a workflow transition (submit, approve, reject, withdraw) if the table allows it.

    `at` backdates the record for imports and demo data; people acting in the app never pass it.
    """
    locked = _lock(spec, expected_row_version=expected_row_version)
    state = load_review(locked)
    actor = actor_for(by, locked, permissions.abilities(by, locked))
    check = workflow.check(state.snapshot, actor, name)
    if not check.allowed:
        raise ReviewError(*check.reasons)
    before, now = locked.state, at or timezone.now()
    Spec.objects.filter(pk=locked.pk).update(
        state=check.target, row_version=F("row_version") + 1, updated_at=now
    )
    record_event(
        f"spec.{name}",
        actor=by,
        spec_id=locked.pk,
        version_number=state.version.number,
        data={"from": before, "to": str(check.target), "comment": comment},
        at=now,
    )
    notices.transition_taken(locked, name, version_number=state.version.number, by=by)
    locked.refresh_from_db()
    return locked


@transaction.atomic
def sign_off(
    *,
    spec: Spec,
    area: str,
    role: str,
    decision: str,
    comment: str,
    by,
    expected_version: int,
    at: datetime.datetime | None = None,
) -> SignOff:
    state = _locked_review(spec, expected_version=expected_version)
    actor = actor_for(by, state.spec, permissions.abilities(by, state.spec))
    problems = signoff_rules.sign_off_problems(
        state.snapshot, actor, area, workflow.Role(role), workflow.Decision(decision), comment
    )
    if problems:
        raise ReviewError(*problems)
    now = at or timezone.now()
    signoff = SignOff.objects.create(
        version=state.version,
        area=area,
        role=role,
        user=by,
        decision=decision,
        comment=comment.strip(),
        recorded_at=now,
    )
    record_event(
        "signoff.recorded",
        actor=by,
        spec_id=state.spec.pk,
        version_number=state.version.number,
        target=f"signoff:{signoff.pk}",
        data={"area": area, "role": role, "decision": decision, "comment": signoff.comment},
        at=now,
    )
    if (
        decision == workflow.Decision.REQUEST_CHANGES
        and state.spec.state == workflow.State.IN_REVIEW
    ):
        _request_changes(state, by=by, signoff=signoff, at=now)
    notices.signoff_recorded(state.spec, signoff, by=by)
    return signoff


def _request_changes(state: ReviewState, *, by, signoff: SignOff, at: datetime.datetime) -> None:
    """An Accountable or Responsible asking for changes moves the spec to Changes requested."""
    actor = actor_for(by, state.spec, permissions.abilities(by, state.spec))
    check = workflow.check(state.snapshot, actor, "request_changes")
    if not check.allowed:
        return  # e.g. a Consulted voice: recorded, but it does not move the workflow
    Spec.objects.filter(pk=state.spec.pk).update(
        state=check.target, row_version=F("row_version") + 1, updated_at=at
    )
    record_event(
        "spec.request_changes",
        actor=by,
        spec_id=state.spec.pk,
        version_number=state.version.number,
        target=f"signoff:{signoff.pk}",
        data={"from": state.spec.state, "to": str(check.target), "area": signoff.area},
        at=at,
    )


@transaction.atomic
def tick_gate(
    *,
    spec: Spec,
    item: str,
    state: str,
    reason: str,
    by,
    expected_version: int,
    expected_revision: int,
    at: datetime.datetime | None = None,
) -> GateCheck:
    review = _locked_review(spec, expected_version=expected_version)
    if not permissions.abilities(by, review.spec).can_review:
        raise ReviewError(workflow.NO_REVIEW_PERMISSION)
    labels = [i.key for i in review.gate_items]
    if item not in labels:
        raise ReviewError("That item is not on this spec's checklist.")
    problems = gates.mark_problems(gates.GateState(state), reason)
    if problems:
        raise ReviewError(*problems)
    check = review.gate_check(item)
    if (check.revision if check else 0) != expected_revision:
        raise StaleForm(f"“{item}” was changed by someone else since the page was loaded.")
    now = at or timezone.now()
    check = check or GateCheck(version=review.version, item=item, position=labels.index(item))
    check.state, check.reason, check.by, check.at = state, reason.strip(), by, now
    check.carried_from, check.revision = None, check.revision + 1
    check.save()
    record_event(
        "gate.ticked",
        actor=by,
        spec_id=review.spec.pk,
        version_number=review.version.number,
        target=f"gate:{check.pk}",
        data={"item": item, "state": state, "reason": check.reason},
        at=now,
    )
    return check


@transaction.atomic
def carry_over_gates(*, spec: Spec, from_version: int, by, expected_version: int) -> int:
    """Copy the ticks of an older version onto the current one in one recorded action."""
    review = _locked_review(spec, expected_version=expected_version)
    if not permissions.abilities(by, review.spec).can_review:
        raise ReviewError(workflow.NO_REVIEW_PERMISSION)
    old = GateCheck.objects.filter(version__spec=review.spec, version__number=from_version)
    ticks = [
        gates.GateTick(c.item, gates.GateState(c.state), from_version, c.by_id or 0, c.reason)
        for c in old
    ]
    plan = gates.carry_over(ticks, review.gate_items)
    labels = [i.key for i in review.gate_items]
    now = timezone.now()
    for tick in plan.carried:
        GateCheck.objects.update_or_create(
            version=review.version,
            item=tick.key,
            defaults={
                "position": labels.index(tick.key),
                "state": tick.state,
                "reason": tick.reason,
                "by": by,
                "at": now,
                "carried_from": from_version,
                "revision": F("revision") + 1,
            },
            create_defaults={
                "position": labels.index(tick.key),
                "state": tick.state,
                "reason": tick.reason,
                "by": by,
                "at": now,
                "carried_from": from_version,
                "revision": 1,
            },
        )
    record_event(
        "gate.carried_over",
        actor=by,
        spec_id=review.spec.pk,
        version_number=review.version.number,
        data={
            "from_version": from_version,
            "carried": [t.key for t in plan.carried],
            "skipped": [[t.key, why] for t, why in plan.skipped],
        },
        at=now,
    )
    return len(plan.carried)


@transaction.atomic
def record_decision(
    *,
    spec: Spec,
    by,
    expected_version: int,
    date: datetime.date,
    request: str,
    source: str,
    decision: str,
    rationale: str,
    trade_off: str,
    supersedes: DecisionEntry | None = None,
    at: datetime.datetime | None = None,
) -> DecisionEntry:
    review = _locked_review(spec, expected_version=expected_version)
    if not permissions.abilities(by, review.spec).can_review:
        raise ReviewError(workflow.NO_REVIEW_PERMISSION)
    if supersedes is not None:
        old = DecisionEntry.objects.select_for_update().get(pk=supersedes.pk, spec=review.spec)
        if DecisionEntry.objects.filter(supersedes=old).exists():
            raise StaleForm("That entry was already superseded by someone else.")
    now = at or timezone.now()
    entry = DecisionEntry.objects.create(
        spec=review.spec,
        version=review.version,
        date=date,
        request=request.strip(),
        source=source.strip(),
        decision=decision,
        rationale=rationale.strip(),
        trade_off=trade_off.strip(),
        supersedes=supersedes,
        recorded_by=by,
        recorded_at=now,
    )
    record_event(
        "decision.superseded" if supersedes else "decision.recorded",
        actor=by,
        spec_id=review.spec.pk,
        version_number=review.version.number,
        target=f"decision:{entry.pk}",
        data={
            "request": entry.request,
            "decision": decision,
            "supersedes": supersedes.pk if supersedes else None,
        },
        at=now,
    )
    return entry


@transaction.atomic
def seed_raci_from_version(*, spec: Spec, version: SpecVersion, by) -> int:
    """First RACI of a spec, from its own table; names that match no account are kept as such."""
    locked = _lock(spec)
    if RaciAssignment.objects.filter(spec=locked).exists():
        return 0
    matches = raci.match_document_raci(version.source)
    now = timezone.now()
    RaciAssignment.objects.bulk_create(
        RaciAssignment(
            spec=locked,
            area=m.area,
            role=m.role,
            user=m.user,
            unmatched_name=m.unmatched,
            from_version=version.number,
            created_at=now,
        )
        for m in matches
    )
    raci.grant_raci_permissions(locked)
    record_event(
        "raci.seeded",
        actor=by,
        spec_id=locked.pk,
        version_number=version.number,
        data={
            "assignments": len(matches),
            "unmatched": [m.unmatched for m in matches if m.unmatched],
        },
        at=now,
    )
    return len(matches)


@transaction.atomic
def assign_raci(
    *, spec: Spec, area: str, role: str, user, by, expected_row_version: int
) -> RaciAssignment:
    locked = _lock(spec, expected_row_version=expected_row_version)
    area = " ".join(area.split())
    if not area:
        raise ReviewError("Name the area (e.g. Security/Privacy).")
    if RaciAssignment.objects.filter(spec=locked, area=area, role=role, user=user).exists():
        raise ReviewError(f"{user.display_name} already holds that role in {area}.")
    assignment = RaciAssignment.objects.create(
        spec=locked, area=area, role=role, user=user, created_at=timezone.now()
    )
    raci.grant_raci_permissions(locked)
    _bump(locked)
    record_event(
        "raci.assigned",
        actor=by,
        spec_id=locked.pk,
        target=f"raci:{assignment.pk}",
        data={"area": area, "role": role, "user": user.username},
    )
    return assignment


@transaction.atomic
def unassign_raci(*, spec: Spec, assignment_id: int, by, expected_row_version: int) -> None:
    locked = _lock(spec, expected_row_version=expected_row_version)
    assignment = RaciAssignment.objects.filter(spec=locked, pk=assignment_id).first()
    if assignment is None:
        raise StaleForm("That assignment was already removed.")
    data = {
        "area": assignment.area,
        "role": assignment.role,
        "user": assignment.user.username if assignment.user else assignment.unmatched_name,
    }
    assignment.delete()
    raci.grant_raci_permissions(locked)
    _bump(locked)
    record_event(
        "raci.unassigned", actor=by, spec_id=locked.pk, target=f"raci:{assignment_id}", data=data
    )


@transaction.atomic
def apply_raci_proposal(*, spec: Spec, by, expected_row_version: int) -> tuple[int, int]:
    """Make the app's RACI match the current version's table: (added, removed)."""
    locked = _lock(spec, expected_row_version=expected_row_version)
    version = locked.current_version
    assert version is not None
    assignments = tuple(RaciAssignment.objects.filter(spec=locked).select_related("user"))
    proposal = raci.propose_from_raci_rows(version.structures.get("raci", []), assignments)
    if proposal.empty:
        raise StaleForm("The RACI already matches this version's table.")
    now = timezone.now()
    RaciAssignment.objects.filter(pk__in=[a.pk for a in proposal.removed]).delete()
    RaciAssignment.objects.bulk_create(
        RaciAssignment(
            spec=locked,
            area=m.area,
            role=m.role,
            user=m.user,
            unmatched_name=m.unmatched,
            from_version=version.number,
            created_at=now,
        )
        for m in proposal.added
    )
    raci.grant_raci_permissions(locked)
    _bump(locked)
    record_event(
        "raci.updated_from_document",
        actor=by,
        spec_id=locked.pk,
        version_number=version.number,
        data={
            "added": [f"{m.area} {m.role} {m.user or m.unmatched}" for m in proposal.added],
            "removed": [str(a) for a in proposal.removed],
        },
        at=now,
    )
    return len(proposal.added), len(proposal.removed)
