"""When a review is due: a number of business days after it started waiting (pure)."""

from __future__ import annotations

import datetime

from django.conf import settings

DEFAULT_REVIEW_DUE_DAYS = 5


def review_due_days() -> int:
    return int(getattr(settings, "REVIEW_DUE_DAYS", DEFAULT_REVIEW_DUE_DAYS))


def add_business_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """``start`` moved forward by ``days`` weekdays (Saturdays and Sundays do not count)."""
    moment = start
    remaining = days
    while remaining > 0:
        moment += datetime.timedelta(days=1)
        if moment.weekday() < 5:
            remaining -= 1
    return moment


def due_at(since: datetime.datetime, days: int | None = None) -> datetime.datetime:
    return add_business_days(since, review_due_days() if days is None else days)


def days_between(start: datetime.datetime, end: datetime.datetime) -> int:
    return max(0, (end - start).days)


def for_days(days: int) -> str:
    """'for 4 days', 'for 1 day', 'since today': how long someone has been waited on."""
    if days <= 0:
        return "since today"
    return f"for {days} day{'s' if days != 1 else ''}"
