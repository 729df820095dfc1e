"""When a person's mail is due, decided by pure functions of a given "now" (no clock, no DB).

The jobs (reviews.reminders, notifications.actions.send_daily_digests) gather the facts and pass
`now`; tests pass a fixed one, with weekends and time zones, instead of freezing time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings

# Settings with defaults (config/settings.py sets them from the environment).
REMINDER_LIMIT = "REVIEW_REMINDER_LIMIT"  # 5 reminders per overdue sign-off
ESCALATE_AFTER_DAYS = "REVIEW_ESCALATE_AFTER_DAYS"  # 3 days overdue, then the Accountable hears


def reminder_limit() -> int:
    return int(getattr(settings, REMINDER_LIMIT, 5))


def escalate_after_days() -> int:
    return int(getattr(settings, ESCALATE_AFTER_DAYS, 3))


def zone(name: str) -> ZoneInfo:
    """The named zone; the site's own for a name that is not (or no longer) known."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


@cache
def zone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def is_zone_name(name: str) -> bool:
    return name in zone_names()


def local_now(now: datetime.datetime, time_zone: str) -> datetime.datetime:
    return now.astimezone(zone(time_zone))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5  # Monday to Friday


@dataclass(frozen=True)
class ReminderHistory:
    """What was already written for one overdue sign-off and its person."""

    sent: int = 0
    last_on: datetime.date | None = None


def reminder_due(
    *,
    now: datetime.datetime,
    due: datetime.datetime,
    time_zone: str,
    hour: int,
    history: ReminderHistory,
    limit: int,
) -> datetime.date | None:
    """The person's local date to remind them on, or None: overdue, a working day where they
    are, from their morning hour on (the digest's), not yet today, fewer than `limit` so far."""
    if now <= due or history.sent >= limit:
        return None
    local = local_now(now, time_zone)
    today = local.date()
    if not is_working_day(today) or local.hour < hour or history.last_on == today:
        return None
    return today


def escalation_due(
    *,
    now: datetime.datetime,
    due: datetime.datetime,
    time_zone: str,
    hour: int,
    after_days: int,
    already: bool,
) -> bool:
    """Once per sign-off and Accountable, when it has been overdue for `after_days` whole days,
    on a working day of the Accountable's from their morning hour on."""
    if already or now - due < datetime.timedelta(days=after_days):
        return False
    local = local_now(now, time_zone)
    return is_working_day(local.date()) and local.hour >= hour


def digest_due(
    *,
    now: datetime.datetime,
    time_zone: str,
    hour: int,
    last_on: datetime.date | None,
) -> datetime.date | None:
    """The local date of the digest to send now, or None.

    From the person's hour on, once per local day: an hourly job that missed the hour (beat was
    down) still sends later that day, never twice.
    """
    local = local_now(now, time_zone)
    if local.hour < hour or last_on == local.date():
        return None
    return local.date()
