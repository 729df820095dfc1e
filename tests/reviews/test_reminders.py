import datetime

import pytest
from django.utils import timezone

from core.models import AuditEvent
from notifications.models import Notification
from reviews import actions
from reviews.dashboard.due import due_at
from reviews.reminders import remind_due_reviews
from specs.models import Spec, SpecVersion

pytestmark = pytest.mark.django_db


def test_people_still_owing_a_sign_off_hear_once_when_the_review_is_due_soon(reviewed_spec, people):
    actions.transition(
        spec=reviewed_spec,
        name="submit",
        by=people["aisha"],
        expected_row_version=Spec.objects.get(pk=reviewed_spec.pk).row_version,
    )
    actions.sign_off(
        spec=reviewed_spec,
        area="Engineering",
        role="A",
        decision="approve",
        comment="",
        by=people["jonas"],
        expected_version=1,
    )
    Notification.objects.all().delete()
    uploaded = SpecVersion.objects.get(spec=reviewed_spec).uploaded_at
    submitted = AuditEvent.objects.get(spec_id=reviewed_spec.pk, verb="spec.submit").at
    almost_due = due_at(max(uploaded, submitted)) - datetime.timedelta(hours=3)

    assert remind_due_reviews(now=uploaded + datetime.timedelta(hours=1)) == 0  # not due yet
    assert remind_due_reviews(now=almost_due) > 0
    due_soon = Notification.objects.filter(event="due_soon")
    reminded = set(due_soon.values_list("recipient__username", flat=True))
    assert "sofia" in reminded and "jonas" not in reminded  # Jonas already signed
    remind_due_reviews(now=almost_due + datetime.timedelta(hours=1))
    assert due_soon.count() == len(reminded)  # once per person, not once per run
    # Past the due date "due soon" is over: the overdue reminders take it from there.
    remind_due_reviews(now=due_at(max(uploaded, submitted)) + datetime.timedelta(days=30))
    assert due_soon.count() == len(reminded)
