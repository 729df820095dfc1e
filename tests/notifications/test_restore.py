"""Restoring a backup must not send again what went out after the backup was taken."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEvent
from notifications import actions
from notifications.events import Event
from notifications.models import Notification, State
from specs import permissions

pytestmark = pytest.mark.django_db


def test_a_restored_outbox_is_held_for_staff_and_sends_nothing_by_itself(
    smtp_server, spec, people, make_user, settings
):
    """Issue 9 item 11: a backup restored with 20 e-mails pending sent all 20 again."""
    readers = [make_user(f"reader{n}") for n in range(20)]
    for person in readers:
        permissions.grant(spec, person, permissions.SpecAction.VIEW)
    rows = actions.notify(
        event=Event.REVIEW_REQUESTED,
        spec=spec,
        version_number=2,
        actor=people.author,
        recipients=readers,
        context={},
    )
    Notification.objects.filter(pk=rows[0].pk).update(
        state=State.SENDING, claimed_until=timezone.now() + timedelta(minutes=2)
    )
    out = StringIO()
    call_command("hold_outbox_after_restore", stdout=out)
    assert "held 20 unsent" in out.getvalue()
    assert set(Notification.objects.values_list("state", flat=True)) == {State.HELD}
    assert AuditEvent.objects.filter(verb="notifications.held_after_restore").exists()

    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 0
    assert actions.sweep_due() == []
    assert {actions.deliver(row.pk) for row in rows} == {"not due (held)"}
    assert smtp_server.messages == []

    # Written after the restore point: left alone. A held one staff chose to send: sent.
    later = actions.notify(
        event=Event.MENTIONED,
        spec=spec,
        version_number=2,
        actor=people.author,
        recipients=[people.reviewer],
        context={},
    )[0]
    call_command("hold_outbox_after_restore", "--before", rows[-1].created_at.isoformat())
    assert Notification.objects.get(pk=later.pk).state == State.PENDING
    actions.retry(rows[1].pk, by=people.author)
    assert actions.deliver(rows[1].pk) == "sent"
    assert len(smtp_server.messages) == 1
