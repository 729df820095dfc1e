"""Reminding reviewers: once before a review is due, then once a working day while it is overdue
(up to a limit), and once to the area's Accountable when it stays overdue (an hourly beat task calls
`remind_due_reviews`; each person is reminded from their own morning hour, in their zone).

Who is due is decided by `plan_overdue`, a pure function of a given `now` and what was already
sent (notifications.scheduling); the rest gathers those facts and writes the outbox rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications import scheduling
from notifications.actions import notify
from notifications.events import Event
from notifications.models import DeliverySchedule, ReminderSent
from reviews.dashboard.due import due_at
from reviews.dashboard.sql import waiting_since
from reviews.rules.signoffs import CellState, signoff_matrix
from reviews.rules.vocabulary import Role
from reviews.snapshot import ReviewState, load_review
from specs.models import Spec
from specs.vocabulary import SpecState

WARN_AHEAD = datetime.timedelta(days=1)
_WAITING = {CellState.PENDING, CellState.STALE}


@dataclass(frozen=True)
class Clock:
    """Where a person's day is: their zone, and the hour their mail comes (the digest's)."""

    time_zone: str = "UTC"
    hour: int = 7


@dataclass(frozen=True)
class Owed:
    """One person's sign-off in one area, still waited on, and its area's Accountables."""

    signer_id: int
    area: str
    clock: Clock
    accountables: dict[int, Clock]


@dataclass(frozen=True)
class Reminder:
    event: Event  # REVIEW_OVERDUE to the signer, or REVIEW_ESCALATED to the Accountables
    recipient_ids: tuple[int, ...]
    signer_id: int
    area: str  # "" for a reminder: one per person a day, however many areas they owe
    local_date: datetime.date
    number: int = 0  # which reminder this is (1 … limit); 0 for an escalation


def plan_overdue(
    *,
    now: datetime.datetime,
    due: datetime.datetime,
    owed: list[Owed],
    history: dict[int, scheduling.ReminderHistory],
    escalated: set[tuple[int, str, int]],
    limit: int,
    escalate_after_days: int,
) -> list[Reminder]:
    """The reminders and escalations due now for one overdue version (pure: no clock, no DB).

    `history` is per signer; `escalated` holds the (signer, area, Accountable) already told.
    Each person's working day and morning hour are their own (`Clock`).
    """
    plan: list[Reminder] = []
    reminded: set[int] = set()
    for slot in owed:
        past = history.get(slot.signer_id, scheduling.ReminderHistory())
        today = scheduling.reminder_due(
            now=now,
            due=due,
            time_zone=slot.clock.time_zone,
            hour=slot.clock.hour,
            history=past,
            limit=limit,
        )
        if today is not None and slot.signer_id not in reminded:
            reminded.add(slot.signer_id)
            plan.append(
                Reminder(
                    Event.REVIEW_OVERDUE,
                    (slot.signer_id,),
                    slot.signer_id,
                    "",
                    today,
                    number=past.sent + 1,
                )
            )
        for boss, clock in slot.accountables.items():
            if boss != slot.signer_id and scheduling.escalation_due(
                now=now,
                due=due,
                time_zone=clock.time_zone,
                hour=clock.hour,
                after_days=escalate_after_days,
                already=(slot.signer_id, slot.area, boss) in escalated,
            ):
                local_date = scheduling.local_now(now, clock.time_zone).date()
                plan.append(
                    Reminder(Event.REVIEW_ESCALATED, (boss,), slot.signer_id, slot.area, local_date)
                )
    return plan


def remind_due_reviews(now: datetime.datetime | None = None) -> int:
    """Remind everyone still owing a sign-off: due within a day, or overdue however long.

    Returns how many outbox rows were written. Safe to run as often as wanted: "due soon" is one
    row per person, version and due date; overdue reminders are recorded (`ReminderSent`, unique
    per person and local day), so a second run or a restart sends nothing new.
    """
    now = now or timezone.now()
    written = 0
    in_review = Spec.objects.filter(state=SpecState.IN_REVIEW).with_current_version()
    # The same clock as the dashboard: since the version's upload or the last submit.
    for spec in in_review.annotate(since=waiting_since()).order_by("pk"):
        assert spec.current_version is not None
        due = due_at(spec.since)
        if now < due - WARN_AHEAD:
            continue
        review = load_review(spec)
        if now <= due:
            written += _due_soon(spec, review, due)
        else:
            written += _overdue(spec, review, due, now)
    return written


def _waiting_slots(review: ReviewState) -> list[tuple[int, str]]:
    return [
        (cell.user_id, row.area)
        for row in signoff_matrix(review.snapshot)
        for cell in row.cells
        if cell.state in _WAITING
    ]


def _due_soon(spec: Spec, review: ReviewState, due: datetime.datetime) -> int:
    waiting_on = {user_id for user_id, _ in _waiting_slots(review)}
    people = {a.user_id: a.user for a in review.assignments if a.user_id in waiting_on}
    assert spec.current_version is not None
    return len(
        notify(
            event=Event.DUE_SOON,
            spec=spec,
            version_number=spec.current_version.number,
            actor=None,
            recipients=people.values(),
            context={"due_date": due.date().isoformat()},
        )
    )


def _overdue(spec: Spec, review: ReviewState, due: datetime.datetime, now) -> int:
    assert spec.current_version is not None
    number = spec.current_version.number
    slots = _waiting_slots(review)
    if not slots:
        return 0
    users = {a.user_id: a.user for a in review.assignments if a.user_id is not None}
    accountables: dict[str, list[int]] = {}
    for a in review.assignments:
        if a.user_id is not None and a.role == Role.ACCOUNTABLE:
            accountables.setdefault(a.area, []).append(a.user_id)
    people = {user_id for user_id, _ in slots} | {pk for ids in accountables.values() for pk in ids}
    clocks = {
        pk: Clock(schedule.time_zone, schedule.digest_hour)
        for pk, schedule in DeliverySchedule.objects.of(people).items()
    }
    owed = [
        Owed(user_id, area, clocks[user_id], {pk: clocks[pk] for pk in accountables.get(area, [])})
        for user_id, area in slots
    ]
    sent = ReminderSent.objects.filter(spec=spec, version_number=number)
    history: dict[int, scheduling.ReminderHistory] = {}
    for signer_id, local_date in sent.filter(event=Event.REVIEW_OVERDUE).values_list(
        "signer_id", "local_date"
    ):
        past = history.get(signer_id, scheduling.ReminderHistory())
        last = max(filter(None, [past.last_on, local_date]))
        history[signer_id] = scheduling.ReminderHistory(past.sent + 1, last)
    escalated = set(
        sent.filter(event=Event.REVIEW_ESCALATED).values_list("signer_id", "area", "recipient_id")
    )
    plan = plan_overdue(
        now=now,
        due=due,
        owed=owed,
        history=history,
        escalated=escalated,
        limit=scheduling.reminder_limit(),
        escalate_after_days=scheduling.escalate_after_days(),
    )
    return sum(_send(spec, number, reminder, users, due, now) for reminder in plan)


def _send(spec: Spec, number: int, reminder: Reminder, users: dict, due, now) -> int:
    signer = users[reminder.signer_id]
    context = {
        "due_date": due.date().isoformat(),
        "overdue_days": max(1, (now - due).days),
        "day": reminder.local_date.isoformat(),
    }
    if reminder.event == Event.REVIEW_OVERDUE:
        context |= {"reminder": reminder.number, "reminder_limit": scheduling.reminder_limit()}
    else:
        context |= {"area": reminder.area, "signer": signer.display_name}
    written = 0
    for recipient_id in reminder.recipient_ids:
        try:
            with transaction.atomic():
                # The record first: a concurrent run that lost the race stops at the constraint.
                ReminderSent.objects.create(
                    event=reminder.event,
                    recipient_id=recipient_id,
                    signer=signer,
                    spec=spec,
                    version_number=number,
                    area=reminder.area,
                    local_date=reminder.local_date,
                    sent_at=now,
                )
                written += len(
                    notify(
                        event=reminder.event,
                        spec=spec,
                        version_number=number,
                        actor=None,
                        recipients=[users[recipient_id]],
                        context=context,
                    )
                )
        except IntegrityError:
            continue  # already written today by another run
    return written
