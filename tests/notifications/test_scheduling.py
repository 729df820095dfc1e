"""Who is due for mail, decided from a fixed "now": weekends, time zones, limits, once a day."""

import datetime

from notifications.scheduling import (
    ReminderHistory,
    digest_due,
    escalation_due,
    is_zone_name,
    reminder_due,
)

UTC = datetime.UTC
# Friday 4 December 2026, 23:30 UTC: already Saturday in Tokyo, still Friday in New York.
FRIDAY_NIGHT = datetime.datetime(2026, 12, 4, 23, 30, tzinfo=UTC)
DUE = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # a Monday


def remind(now, zone="UTC", *, hour=7, sent=0, last_on=None, limit=5, due=DUE):
    history = ReminderHistory(sent, last_on)
    return reminder_due(now=now, due=due, time_zone=zone, hour=hour, history=history, limit=limit)


def test_an_overdue_review_is_reminded_on_a_working_day_in_the_signers_own_zone():
    assert remind(FRIDAY_NIGHT, "America/New_York") == datetime.date(2026, 12, 4)
    assert remind(FRIDAY_NIGHT, "Asia/Tokyo") is None  # Saturday morning there
    monday_tokyo = datetime.datetime(2026, 12, 6, 23, 30, tzinfo=UTC)  # Sunday in UTC
    assert remind(monday_tokyo, "Asia/Tokyo") == datetime.date(2026, 12, 7)
    assert remind(monday_tokyo, "UTC") is None


def test_reminders_wait_for_the_persons_morning_hour():
    early = datetime.datetime(2026, 12, 2, 5, 0, tzinfo=UTC)
    assert remind(early, hour=7) is None
    assert remind(early, "Europe/Berlin", hour=6) == datetime.date(2026, 12, 2)  # 06:00 there


def test_once_a_working_day_and_never_past_the_limit():
    wednesday = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    today = datetime.date(2026, 12, 2)
    assert remind(wednesday, sent=1, last_on=today) is None  # already today: a second run
    assert remind(wednesday, sent=1, last_on=today - datetime.timedelta(days=1)) == today
    assert remind(wednesday, sent=5, last_on=datetime.date(2026, 12, 1), limit=5) is None


def test_not_before_the_due_moment():
    assert remind(DUE - datetime.timedelta(hours=1)) is None
    assert remind(DUE) is None


def escalate(now, *, already=False, zone="UTC", hour=7):
    return escalation_due(
        now=now, due=DUE, time_zone=zone, hour=hour, after_days=3, already=already
    )


def test_escalation_after_the_configured_days_on_a_working_day_and_only_once():
    assert not escalate(DUE + datetime.timedelta(days=2))
    assert escalate(DUE + datetime.timedelta(days=3))
    assert not escalate(DUE + datetime.timedelta(days=9), already=True)
    assert not escalate(DUE + datetime.timedelta(days=5))  # Saturday
    assert escalate(FRIDAY_NIGHT, zone="America/New_York")
    assert not escalate(FRIDAY_NIGHT, zone="Asia/Tokyo")
    assert not escalate(DUE + datetime.timedelta(days=3), hour=13)  # before their morning hour


def test_digest_at_the_persons_local_hour_once_a_local_day():
    # 22:00 UTC on Tuesday is 07:00 on Wednesday in Tokyo.
    evening = datetime.datetime(2026, 12, 1, 22, 0, tzinfo=UTC)
    tokyo_wednesday = datetime.date(2026, 12, 2)
    assert digest_due(now=evening, time_zone="Asia/Tokyo", hour=7, last_on=None) == tokyo_wednesday
    assert digest_due(now=evening, time_zone="Asia/Tokyo", hour=8, last_on=None) is None
    assert digest_due(now=evening, time_zone="UTC", hour=7, last_on=None) == datetime.date(
        2026, 12, 1
    )
    again = evening + datetime.timedelta(hours=1)
    assert digest_due(now=again, time_zone="Asia/Tokyo", hour=7, last_on=tokyo_wednesday) is None
    # A missed hour (beat was down) still sends later the same day.
    assert digest_due(now=again, time_zone="Asia/Tokyo", hour=7, last_on=None) == tokyo_wednesday


def test_zone_names_are_iana_names():
    assert is_zone_name("Europe/Berlin") and is_zone_name("UTC")
    assert not is_zone_name("Mars/Olympus") and not is_zone_name("../../etc/passwd")
