"""Workflow steps (submit, approve, reject, withdraw, request changes) and lint overrides."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.audit import record_event
from reviews import notices
from reviews.models import LintOverride, RaciAssignment, SignOff
from reviews.rules import workflow
from reviews.rules.vocabulary import AuditVerb
from reviews.snapshot import ReviewState, actor_for, load_review
from specs import permissions
from specs.models import Spec, SpecVersion

from ._common import ReviewError, lock_spec
from .carrying import carry_to_new_version
from .raci_edits import seed_raci_from_version

MIN_OVERRIDE_REASON_WORDS = 4


@transaction.atomic
def record_lint_override(
    *, version: SpecVersion, by, reason: str, at: datetime.datetime | None = None
) -> LintOverride:
    locked = lock_spec(version.spec)
    if locked.author_id == by.pk:
        raise ReviewError("The author cannot override the lint of their own spec.")
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
        AuditVerb.LINT_OVERRIDDEN,
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
    locked = lock_spec(spec, expected_row_version=expected_row_version)
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
        AuditVerb.of_transition(name),
        actor=by,
        spec_id=locked.pk,
        version_number=state.version.number,
        data={"from": before, "to": str(check.target), "comment": comment},
        at=now,
    )
    notices.transition_taken(locked, name, version_number=state.version.number, by=by)
    locked.refresh_from_db()
    return locked


def request_changes_from(
    state: ReviewState, *, by, signoff: SignOff, at: datetime.datetime
) -> None:
    """An Accountable or Responsible asking for changes moves the spec to Changes requested."""
    actor = actor_for(by, state.spec, permissions.abilities(by, state.spec))
    check = workflow.check(state.snapshot, actor, "request_changes")
    if not check.allowed:
        return  # e.g. a Consulted voice: recorded, but it does not move the workflow
    Spec.objects.filter(pk=state.spec.pk).update(
        state=check.target, row_version=F("row_version") + 1, updated_at=at
    )
    record_event(
        AuditVerb.REQUEST_CHANGES,
        actor=by,
        spec_id=state.spec.pk,
        version_number=state.version.number,
        target=f"signoff:{signoff.pk}",
        data={"from": state.spec.state, "to": str(check.target), "area": signoff.area},
        at=at,
    )


def take_new_version(*, spec: Spec, version: SpecVersion, by) -> None:
    """What a new version means for its review, inside the upload's transaction (the spec row is
    already locked there): the first RACI from its table, word to earlier signers, and the
    workflow's "new version" step. Sign-offs and ticks whose sections the version left alone,
    and vetoes, carry to it (reviews.actions.carrying); the rest stay behind, stale."""
    if not RaciAssignment.objects.filter(spec=spec).exists():
        seed_raci_from_version(spec=spec, version=version, by=by)
    if version.number > 1:
        previous = SpecVersion.objects.get(spec=spec, number=version.number - 1)
        carry_to_new_version(
            spec=spec, previous=previous, version=version, by=by, at=timezone.now()
        )
        notices.version_uploaded(spec, version_number=version.number, by=by)
    target = workflow.TRANSITIONS["new_version"].get(workflow.State(spec.state))
    if version.number == 1 or target is None or target == spec.state:
        return
    Spec.objects.filter(pk=spec.pk).update(state=target, row_version=F("row_version") + 1)
    record_event(
        AuditVerb.NEW_VERSION,
        actor=by,
        spec_id=spec.pk,
        version_number=version.number,
        data={"from": spec.state, "to": str(target)},
        at=timezone.now(),
    )
