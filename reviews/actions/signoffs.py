"""Recording a sign-off in a RACI slot of the current version."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from core.audit import record_event
from reviews import notices
from reviews.models import SignOff
from reviews.rules import signoffs as signoff_rules
from reviews.rules import workflow
from reviews.rules.vocabulary import AuditVerb
from reviews.snapshot import actor_for
from specs import permissions
from specs.models import Spec

from ._common import ReviewError, locked_review
from .last_seen import note_seen
from .transitions import request_changes_from


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
    state = locked_review(spec, expected_version=expected_version)
    actor = actor_for(by, state.spec, permissions.abilities(by, state.spec))
    problems = signoff_rules.sign_off_problems(
        state.snapshot, actor, area, workflow.Role(role), workflow.Verdict(decision), comment
    )
    if problems:
        raise ReviewError(*problems)
    previous = (
        SignOff.objects.current()
        .filter(version=state.version, area=area, role=role, user=by)
        .first()
    )
    if previous and (previous.decision, previous.comment) == (decision, comment.strip()):
        return previous  # the same decision again (a double submit): nothing new to record
    now = at or timezone.now()
    if previous:
        SignOff.objects.filter(pk=previous.pk).update(superseded_at=now)
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
        AuditVerb.SIGNOFF_RECORDED,
        actor=by,
        spec_id=state.spec.pk,
        version_number=state.version.number,
        target=f"signoff:{signoff.pk}",
        data={
            "area": area,
            "role": role,
            "decision": decision,
            "comment": signoff.comment,
            "replaces": f"signoff:{previous.pk}" if previous else None,
        },
        at=now,
    )
    if (
        decision == workflow.Verdict.REQUEST_CHANGES
        and state.spec.state == workflow.State.IN_REVIEW
    ):
        request_changes_from(state, by=by, signoff=signoff, at=now)
    notices.signoff_recorded(state.spec, signoff, by=by)
    note_seen(user=by, spec=state.spec, version_number=state.version.number)
    return signoff
