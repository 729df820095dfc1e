"""Reminding reviewers whose review is due within a day (a daily beat task calls this)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from notifications.actions import notify
from notifications.events import Event
from reviews.dashboard.due import due_at
from reviews.dashboard.sql import waiting_since
from reviews.rules.signoffs import CellState, signoff_matrix
from reviews.snapshot import load_review
from specs.models import Spec
from specs.vocabulary import SpecState

WARN_AHEAD = datetime.timedelta(days=1)
_WAITING = {CellState.PENDING, CellState.STALE}


def remind_due_reviews(now: datetime.datetime | None = None) -> int:
    """Notify everyone still owing a sign-off on a version due within a day.

    Returns how many people are reminded. Safe to run more than once: the outbox keeps one row per
    person, version and due date, so a second run sends nothing new.
    """
    now = now or timezone.now()
    reminded = 0
    in_review = Spec.objects.filter(state=SpecState.IN_REVIEW).with_current_version()
    # The same clock as the dashboard: since the version's upload or the last submit.
    for spec in in_review.annotate(since=waiting_since()):
        assert spec.current_version is not None
        due = due_at(spec.since)
        if not (now <= due <= now + WARN_AHEAD):
            continue
        review = load_review(spec)
        waiting_on = {
            cell.user_id
            for row in signoff_matrix(review.snapshot)
            for cell in row.cells
            if cell.state in _WAITING
        }
        people = [a.user for a in review.assignments if a.user_id in waiting_on]
        reminded += len(
            notify(
                event=Event.DUE_SOON,
                spec=spec,
                version_number=spec.current_version.number,
                actor=None,
                recipients=people,
                context={"due_date": due.date().isoformat()},
            )
        )
    return reminded
