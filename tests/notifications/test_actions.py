import datetime
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core.models import AuditEvent
from notifications import actions
from notifications.events import Event, Mode
from notifications.models import DeliverySchedule, Notification, NotificationPreference, State
from tests.notifications.conftest import DIGEST_TIME

pytestmark = pytest.mark.django_db


def notify_review(spec, people, **overrides):
    arguments = {
        "event": Event.REVIEW_REQUESTED,
        "spec": spec,
        "version_number": 2,
        "actor": people.author,
        "recipients": [people.reviewer, people.approver, people.author],
        "context": {"area": "Security/Privacy"},
    }
    return actions.notify(**{**arguments, **overrides})


def test_notify_writes_one_pending_row_per_recipient_but_never_for_the_actor(spec, people):
    rows = notify_review(spec, people)
    assert sorted(row.recipient.username for row in rows) == ["mei", "ravi"]
    assert {row.state for row in rows} == {State.PENDING}
    assert rows[0].subject == "Aisha Okafor asked you to review “Payments Retry” v2"
    assert rows[0].context == {"area": "Security/Privacy"}


def test_preferences_decide_immediate_digest_or_nothing(spec, people):
    NotificationPreference.objects.create(
        user=people.reviewer, event=Event.REVIEW_REQUESTED, mode=Mode.DIGEST
    )
    NotificationPreference.objects.create(
        user=people.approver, event=Event.REVIEW_REQUESTED, mode=Mode.OFF
    )
    rows = notify_review(spec, people)
    assert [(row.recipient, row.state) for row in rows] == [(people.reviewer, State.DIGEST_PENDING)]


def test_defaults_without_a_preference_row(spec, people):
    uploaded = actions.notify(
        event=Event.VERSION_UPLOADED,
        spec=spec,
        version_number=2,
        actor=people.author,
        recipients=[people.reviewer],
        context={},
    )
    assert [row.state for row in uploaded] == [State.DIGEST_PENDING]
    modes = NotificationPreference.objects.modes_of(people.reviewer)
    assert modes[Event.MENTIONED] == Mode.IMMEDIATE
    assert modes[Event.CHANGES_REQUESTED] == Mode.IMMEDIATE
    assert modes[Event.SIGNOFF_RECORDED] == Mode.DIGEST


def test_the_same_call_twice_writes_nothing_new_but_other_context_does(spec, people):
    first = notify_review(spec, people)
    again = notify_review(spec, people)
    assert {row.pk for row in again} == {row.pk for row in first}
    notify_review(spec, people, context={"area": "Product"})
    assert Notification.objects.count() == 4


def test_inactive_or_addressless_people_get_nothing(spec, people, make_user):
    gone = make_user("gone", is_active=False)
    silent = make_user("silent", email="")
    assert notify_review(spec, people, recipients=[gone, silent]) == []


def test_rows_roll_back_with_the_change_that_caused_them(spec, people):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_review(spec, people)
        raise RuntimeError("the caller's change failed")
    assert not Notification.objects.exists()


def test_the_send_is_published_only_after_commit(spec, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        notify_review(spec, people)
    assert len(callbacks) == 2  # one nudge per pending row, none for the actor


def test_digest_bundles_a_persons_items_once_and_drops_events_switched_off(spec, people):
    for event in (Event.VERSION_UPLOADED, Event.SIGNOFF_RECORDED, Event.SPEC_WITHDRAWN):
        actions.notify(
            event=event,
            spec=spec,
            version_number=2,
            actor=people.author,
            recipients=[people.reviewer],
            context={},
        )
    actions.unsubscribe(user=people.reviewer, event=Event.SPEC_WITHDRAWN)
    digests = actions.send_daily_digests(DIGEST_TIME)
    assert [digest.recipient for digest in digests] == [people.reviewer]
    assert digests[0].subject == "Daily digest: 2 updates on 1 spec"
    assert digests[0].items.count() == 2
    assert Notification.objects.get(event=Event.SPEC_WITHDRAWN).state == State.SKIPPED
    assert actions.send_daily_digests(DIGEST_TIME) == []


def test_sweep_gives_up_on_a_lost_send_and_re_enqueues_due_rows(
    spec, people, make_user, monkeypatch
):
    published = []
    monkeypatch.setattr(actions, "publish", lambda task, *args: published.append(args))
    recipients = [people.reviewer, people.approver, make_user("tomas")]
    lost, due, later = sorted(notify_review(spec, people, recipients=recipients), key=by_pk)
    past = timezone.now() - timedelta(minutes=5)
    Notification.objects.filter(pk=lost.pk).update(state=State.SENDING, claimed_until=past)
    Notification.objects.filter(pk=due.pk).update(next_attempt_at=past)
    Notification.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() + timedelta(hours=1)
    )

    assert actions.sweep_due() == [due.pk]
    assert published == [(due.pk,)]
    lost.refresh_from_db()
    assert lost.state == State.UNKNOWN and "delivery unknown" in lost.last_error


def by_pk(row):
    return row.pk


def test_retry_requeues_a_failed_row_and_audits_who_asked(spec, people, make_user):
    row = notify_review(spec, people)[0]
    Notification.objects.filter(pk=row.pk).update(state=State.FAILED, attempts=8, last_error="550")
    admin = make_user("admin", is_staff=True)
    retried = actions.retry(row.pk, by=admin)
    assert (retried.state, retried.attempts) == (State.PENDING, 0)
    event = AuditEvent.objects.get(verb="notification.retried")
    assert event.actor == admin and event.data["last_error"] == "550"


def test_a_sent_notification_cannot_be_retried(spec, people, make_user):
    row = notify_review(spec, people)[0]
    Notification.objects.filter(pk=row.pk).update(state=State.SENT)
    with pytest.raises(actions.NotificationError):
        actions.retry(row.pk, by=make_user("admin", is_staff=True))


def test_the_digest_goes_at_each_persons_own_hour_in_their_zone_once_a_day(
    smtp_server, spec, people
):
    actions.set_schedule(user=people.reviewer, digest_hour=9, time_zone="Asia/Tokyo")
    for person in (people.reviewer, people.approver):
        actions.notify(
            event=Event.VERSION_UPLOADED,
            spec=spec,
            version_number=2,
            actor=people.author,
            recipients=[person],
            context={},
        )
    # 23:00 UTC on Tuesday: 08:00 on Wednesday in Tokyo (too early), 23:00 in UTC for Mei.
    tuesday_night = datetime.datetime(2026, 12, 1, 23, 0, tzinfo=datetime.UTC)
    first = actions.send_daily_digests(tuesday_night)
    assert [digest.recipient for digest in first] == [people.approver]
    assert actions.send_daily_digests(tuesday_night + timedelta(minutes=30)) == []
    # Midnight UTC is 09:00 in Tokyo: Ravi's digest, once however often the job runs.
    midnight = tuesday_night + timedelta(hours=1)
    second = actions.send_daily_digests(midnight)
    assert [digest.recipient for digest in second] == [people.reviewer]
    assert actions.send_daily_digests(midnight) == []
    assert [actions.deliver(digest.pk) for digest in first + second] == ["sent", "sent"]
    assert [m["To"] for m in smtp_server.messages] == [
        "Mei Lin <mei@example.com>",
        "Ravi Menon <ravi@example.com>",
    ]
    # A new item the same local day waits for tomorrow's digest.
    actions.notify(
        event=Event.SIGNOFF_RECORDED,
        spec=spec,
        version_number=2,
        actor=people.author,
        recipients=[people.reviewer],
        context={},
    )
    assert actions.send_daily_digests(midnight + timedelta(hours=5)) == []
    tomorrow = midnight + timedelta(days=1)
    assert [d.recipient for d in actions.send_daily_digests(tomorrow)] == [people.reviewer]


def test_a_schedule_needs_a_real_zone_name(people):
    with pytest.raises(actions.NotificationError):
        actions.set_schedule(user=people.reviewer, digest_hour=9, time_zone="Mars/Olympus")
    assert not DeliverySchedule.objects.exists()
