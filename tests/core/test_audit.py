import pytest
from django.db import ProgrammingError, transaction

from core.audit import record_event
from core.models import AuditEvent
from core.request_context import reset_request_id, set_request_id

pytestmark = pytest.mark.django_db


def test_events_carry_actor_request_id_and_data(make_user):
    user = make_user()
    token = set_request_id("audit-request-0001")
    try:
        event = record_event(
            "spec.submitted", actor=user, spec_id=7, version_number=2, data={"why": "ready"}
        )
    finally:
        reset_request_id(token)
    assert (event.actor, event.request_id, event.data) == (
        user,
        "audit-request-0001",
        {"why": "ready"},
    )


def test_the_database_refuses_to_rewrite_or_delete_the_trail(make_user):
    event = record_event("spec.submitted", actor=make_user(), spec_id=1)
    with pytest.raises(ProgrammingError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb="spec.approved")
    with pytest.raises(ProgrammingError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.verb == "spec.submitted"
