import datetime

import pytest

from core.models import AuditEvent
from notifications import actions as outbox_actions
from notifications.events import Event, Mode
from notifications.models import (
    DeliverySchedule,
    Notification,
    NotificationPreference,
    ReminderSent,
)
from notifications.scheduling import ReminderHistory
from reviews import actions
from reviews.dashboard.due import due_at
from reviews.reminders import Clock, Owed, plan_overdue, remind_due_reviews
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


# --- overdue: once a working day up to a limit, then the area's Accountable ---------------------


def submitted_due(spec, people):
    actions.transition(
        spec=spec,
        name="submit",
        by=people["aisha"],
        expected_row_version=Spec.objects.get(pk=spec.pk).row_version,
    )
    Notification.objects.all().delete()
    uploaded = SpecVersion.objects.get(spec=spec).uploaded_at
    submitted = AuditEvent.objects.get(spec_id=spec.pk, verb="spec.submit").at
    return due_at(max(uploaded, submitted))


def working_noon_after(moment, days=1):
    """Noon UTC on the first Monday-to-Friday at least `days` after `moment`."""
    day = (moment + datetime.timedelta(days=days)).date()
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def overdue_to(username):
    return Notification.objects.filter(event=Event.REVIEW_OVERDUE, recipient__username=username)


def test_overdue_reviews_are_reminded_once_a_working_day_up_to_the_limit(
    settings, smtp_server, reviewed_spec, people
):
    settings.REVIEW_REMINDER_LIMIT = 2
    settings.REVIEW_ESCALATE_AFTER_DAYS = 100
    due = submitted_due(reviewed_spec, people)
    first = working_noon_after(due)
    assert remind_due_reviews(now=first) > 0
    assert remind_due_reviews(now=first + datetime.timedelta(hours=2)) == 0  # same day: nothing
    reminded = set(
        Notification.objects.filter(event=Event.REVIEW_OVERDUE).values_list(
            "recipient__username", flat=True
        )
    )
    assert reminded == {"lukas", "jonas", "kenji", "sofia"}  # everyone owing a sign-off, once
    pending = Notification.objects.filter(event=Event.REVIEW_OVERDUE)
    assert {outbox_actions.deliver(pk) for pk in pending.values_list("pk", flat=True)} == {"sent"}
    assert len(smtp_server.messages) == 4
    message = smtp_server.messages[0]
    assert message["Subject"].strip() == "Your review of “Ledger export” v1 is overdue"
    assert "Reminder 1 of 2" in message.get_body(("plain",)).get_content()

    second = working_noon_after(first)
    assert remind_due_reviews(now=second) == 4
    third = working_noon_after(second)
    assert remind_due_reviews(now=third) == 0  # the limit
    assert overdue_to("kenji").count() == 2
    assert ReminderSent.objects.filter(event=Event.REVIEW_OVERDUE).count() == 8


def test_no_reminder_on_the_signers_weekend_and_none_when_switched_off(
    settings, reviewed_spec, people
):
    settings.REVIEW_ESCALATE_AFTER_DAYS = 100
    due = submitted_due(reviewed_spec, people)
    saturday = working_noon_after(due)
    while saturday.weekday() != 5:
        saturday += datetime.timedelta(days=1)
    NotificationPreference.objects.create(
        user=people["jonas"], event=Event.REVIEW_OVERDUE, mode=Mode.OFF
    )
    assert remind_due_reviews(now=saturday) == 0
    # Sunday noon in UTC is Monday 01:00 in Auckland: Sofia's working week has begun.
    DeliverySchedule.objects.create(
        user=people["sofia"], time_zone="Pacific/Auckland", digest_hour=0
    )
    assert remind_due_reviews(now=saturday + datetime.timedelta(days=1)) == 1
    assert overdue_to("sofia").count() == 1 and not overdue_to("jonas").exists()


def test_the_areas_accountable_hears_once_when_a_review_stays_overdue(
    settings, smtp_server, reviewed_spec, people
):
    settings.REVIEW_ESCALATE_AFTER_DAYS = 3
    due = submitted_due(reviewed_spec, people)
    assert remind_due_reviews(now=working_noon_after(due)) == 4  # reminders only, no escalation
    later = working_noon_after(due, days=3)
    remind_due_reviews(now=later)
    remind_due_reviews(now=working_noon_after(later))
    escalated = Notification.objects.filter(event=Event.REVIEW_ESCALATED)
    # Engineering's Accountable (Jonas) for Lukas and Kenji; Security's (Sofia) for Kenji.
    assert sorted((n.recipient.username, n.context["signer"]) for n in escalated) == [
        ("jonas", "Kenji Watanabe"),
        ("jonas", "Lukas Novak"),
        ("sofia", "Kenji Watanabe"),
    ]
    for pk in escalated.values_list("pk", flat=True):
        assert outbox_actions.deliver(pk) == "sent"
    subjects = {m["Subject"].strip() for m in smtp_server.messages}
    assert "A review of “Ledger export” v1 in your area is overdue" in subjects
    text = smtp_server.messages[-1].get_body(("plain",)).get_content()
    assert "Waiting on: " in text and "Overdue: " in text


def test_plan_overdue_is_a_pure_decision():
    due = datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)  # Monday
    thursday = datetime.datetime(2026, 12, 3, 12, tzinfo=datetime.UTC)
    utc, tokyo, late = Clock("UTC", 7), Clock("Asia/Tokyo", 7), Clock("UTC", 13)
    owed = [
        Owed(1, "Engineering", utc, {9: utc, 7: late}),  # 7's morning is later: not yet
        Owed(1, "Security", utc, {8: utc}),  # one reminder a day however many areas
        Owed(2, "Engineering", tokyo, {9: utc}),
        Owed(9, "Engineering", utc, {9: utc}),  # the Accountable is not escalated to themself
    ]
    plan = plan_overdue(
        now=thursday,
        due=due,
        owed=owed,
        history={2: ReminderHistory(1, datetime.date(2026, 12, 3))},
        escalated={(1, "Security", 8)},
        limit=5,
        escalate_after_days=3,
    )
    assert [(r.event, r.recipient_ids, r.signer_id, r.area) for r in plan] == [
        (Event.REVIEW_OVERDUE, (1,), 1, ""),
        (Event.REVIEW_ESCALATED, (9,), 1, "Engineering"),
        (Event.REVIEW_ESCALATED, (9,), 2, "Engineering"),
        (Event.REVIEW_OVERDUE, (9,), 9, ""),
    ]
