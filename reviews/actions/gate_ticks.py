"""Ticking quality-gate items, and carrying ticks over from an older version on request."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.audit import record_event
from reviews import search_index
from reviews.models import GateCheck
from reviews.rules import gates, workflow
from reviews.rules.gates import GateState
from reviews.rules.vocabulary import AuditVerb
from specs import permissions
from specs.models import Spec

from ._common import ReviewError, StaleForm, locked_review

AUTHOR_CANNOT_TICK = "The author cannot tick the quality gate on their own spec."


def require_gate_reviewer(spec: Spec, by) -> None:
    if spec.author_id == by.pk:
        raise ReviewError(AUTHOR_CANNOT_TICK)
    if not permissions.abilities(by, spec).can_review:
        raise ReviewError(workflow.NO_REVIEW_PERMISSION)


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
    review = locked_review(spec, expected_version=expected_version)
    require_gate_reviewer(review.spec, by)
    return _tick(review, item, state, reason, by, expected_revision, at or timezone.now())


@transaction.atomic
def tick_gates(
    *,
    spec: Spec,
    items: Sequence[tuple[str, int]],
    state: str,
    reason: str,
    by,
    expected_version: int,
    at: datetime.datetime | None = None,
) -> list[GateCheck]:
    """Set several checklist items to one state in one transaction.

    ``items`` pairs each item with the revision the form saw, so two reviewers on different
    items both land; one stale item refuses the whole save (StaleForm), and nothing is written.
    """
    review = locked_review(spec, expected_version=expected_version)
    require_gate_reviewer(review.spec, by)
    if not items:
        raise ReviewError("Tick at least one item.")
    now = at or timezone.now()
    return [_tick(review, item, state, reason, by, revision, now) for item, revision in items]


def _tick(review, item: str, state: str, reason: str, by, expected_revision: int, now):
    """One item on the locked review: re-check the rule and the revision, write, audit."""
    labels = [i.key for i in review.gate_items]
    if item not in labels:
        raise ReviewError("That item is not on this spec's checklist.")
    problems = gates.mark_problems(gates.GateState(state), reason)
    if problems:
        raise ReviewError(*problems)
    check = review.gate_check(item)
    if (check.revision if check else 0) != expected_revision:
        raise StaleForm(f"“{item}” was changed by someone else since the page was loaded.")
    check = check or GateCheck(version=review.version, item=item, position=labels.index(item))
    check.state, check.reason, check.by, check.at = state, reason.strip(), by, now
    check.carried_from, check.revision = None, check.revision + 1
    check.save()
    if state == GateState.NA:
        search_index.gate_entry(check).save()
    record_event(
        AuditVerb.GATE_TICKED,
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
    review = locked_review(spec, expected_version=expected_version)
    require_gate_reviewer(review.spec, by)
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
        AuditVerb.GATE_CARRIED_OVER,
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
