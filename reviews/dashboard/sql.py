"""SQL building blocks the dashboard's reads share (PostgreSQL only, like the rest of the app)."""

from __future__ import annotations

from django.db.models import (
    Aggregate,
    DateTimeField,
    F,
    FloatField,
    Func,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Greatest

from core.models import AuditEvent
from reviews.rules.vocabulary import AuditVerb, State

SUBMIT = AuditVerb.SUBMIT
APPROVE = AuditVerb.APPROVE
CLOSING_VERBS = (AuditVerb.APPROVE, AuditVerb.REJECT, AuditVerb.WITHDRAW)
OPEN_STATES = (State.IN_REVIEW, State.CHANGES_REQUESTED)
CLOSED_STATES = (State.APPROVED, State.REJECTED, State.WITHDRAWN)


class Median(Aggregate):
    """PostgreSQL's ordered-set ``percentile_cont(fraction) WITHIN GROUP (ORDER BY …)``."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float = 0.5, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


class Epoch(Func):
    """Seconds in an interval (or since 1970 for a timestamp)."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


def event_at(verb: str, *, spec_ref: str = "pk", latest: bool = True) -> Subquery:
    """When the spec last (or first) had audit event ``verb``: the audit trail is the clock."""
    order = "-at" if latest else "at"
    events = AuditEvent.objects.filter(spec_id=OuterRef(spec_ref), verb=verb)
    return Subquery(events.order_by(order).values("at")[:1], output_field=DateTimeField())


def closed_at(*, spec_ref: str = "pk") -> Subquery:
    events = AuditEvent.objects.filter(spec_id=OuterRef(spec_ref), verb__in=CLOSING_VERBS)
    return Subquery(events.order_by("-at").values("at")[:1], output_field=DateTimeField())


def waiting_since(prefix: str = "") -> Greatest:
    """Since when reviewers have had this version to act on: its upload or the last submit.

    GREATEST skips NULLs in PostgreSQL, so a spec never submitted waits since its upload.
    """
    spec_ref = f"{prefix}pk" if prefix else "pk"
    return Greatest(
        F(f"{prefix}current_version__uploaded_at"),
        event_at(SUBMIT, spec_ref=spec_ref),
        output_field=DateTimeField(),
    )
