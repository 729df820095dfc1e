"""The append-only scope decision log: new entries and superseding corrections."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from core.audit import record_event
from reviews import search_index
from reviews.models import DecisionEntry
from reviews.rules import workflow
from reviews.rules.vocabulary import AuditVerb
from specs import permissions
from specs.models import Spec

from ._common import ReviewError, StaleForm, locked_review


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
    review = locked_review(spec, expected_version=expected_version)
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
    search_index.decision_entry(entry).save()
    record_event(
        AuditVerb.DECISION_SUPERSEDED if supersedes else AuditVerb.DECISION_RECORDED,
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
