"""The demo company's review history, played through the real actions with past timestamps.

Every state a demo spec shows was reached the way a person would reach it: submitted, signed,
ticked, decided and approved through reviews.actions, so the audit trail, the outbox and the
dashboard all see a consistent history.
"""

from __future__ import annotations

import datetime
from itertools import count

from reviews import actions
from reviews.models import RaciAssignment
from reviews.snapshot import load_review
from specs.models import Spec

# Specs whose template has no RACI table get one in the app, the way an author would set it up.
APP_RACI = [
    ("Product", "A", "tomas"),
    ("Product", "R", "priya"),
    ("Engineering", "A", "jonas"),
    ("Engineering", "R", "lukas"),
    ("Engineering", "C", "mei"),
    ("Security/Privacy", "A", "sofia"),
    ("Security/Privacy", "C", "kenji"),
    ("Support/Ops", "A", "fatima"),
    ("Support/Ops", "I", "diego"),
]
LINT_OVERRIDE_REASON = "TR-5 repeats the platform typing standard word for word, on purpose"
CHANGES_COMMENT = "Please cut retention to 7 days and name the second approver for large exports."
QUESTION = "Who gets paged when this fails at night, and where is that written down?"
ANSWER = "Support/Ops on-call; the runbook link is in the Rollout section of v2."
FOLLOW_UP = "the runbook covers it, fine by me."
REJECT_COMMENT = (
    "Scoring raw payer memos with an LLM is out of policy; come back with features only."
)


def play_review(spec: Spec, stage: str, people: dict, started: datetime.datetime) -> None:
    clock = (started + datetime.timedelta(hours=6 * step) for step in count(1))
    if not RaciAssignment.objects.filter(spec=spec).exists():
        _assign_app_raci(spec, people)
    if stage == "draft":
        return
    spec = _fresh(spec)
    if stage == "withdrawn":
        _step(spec, "withdraw", spec.author, next(clock))
        return
    version = spec.current_version
    assert version is not None
    if version.lint_errors:
        reviewer = _accountables(spec)[0][1]
        actions.record_lint_override(
            version=version, by=reviewer, reason=LINT_OVERRIDE_REASON, at=next(clock)
        )
    _step(spec, "submit", spec.author, next(clock))
    accountables = _accountables(spec)
    if stage == "changes_requested":
        area, who = accountables[-1]
        _sign(spec, area, who, "request_changes", CHANGES_COMMENT, next(clock))
    elif stage == "rejected":
        _step(spec, "reject", accountables[0][1], next(clock), comment=REJECT_COMMENT)
    elif stage == "in_review":
        for area, who in accountables[:2]:
            _sign(spec, area, who, "approve", "", next(clock))
        _tick_gates(spec, accountables[0][1], next(clock), limit=3)
        _converse(spec, [who for _, who in accountables], next(clock))
    elif stage == "approved":
        for area, who in accountables:
            _sign(spec, area, who, "approve", "", next(clock))
        _tick_gates(spec, accountables[0][1], next(clock), limit=None)
        _step(spec, "approve", accountables[-1][1], next(clock))


def _converse(spec: Spec, reviewers: list, at: datetime.datetime) -> None:
    """A thread the way reviews go: a question, the author's answer, a colleague's reply that
    names the asker, and the asker settling it (each one an e-mail to someone)."""
    asker, colleague = reviewers[0], reviewers[-1]
    version = _fresh(spec).current_version
    assert version is not None
    sections = [entry["anchor"] for entry in version.toc or [] if entry.get("anchor")]
    anchor = {"section": sections[-1]} if sections else {"line_start": 1, "line_end": 1}
    question = actions.add_comment(
        spec=spec,
        by=asker,
        body=QUESTION,
        expected_version=version.number,
        at=at,
        **anchor,
    )
    actions.reply(spec=spec, parent=question, by=spec.author, body=ANSWER)
    if colleague.pk != asker.pk:
        actions.reply(
            spec=spec, parent=question, by=colleague, body=f"@{asker.username} {FOLLOW_UP}"
        )
    question.refresh_from_db()
    actions.resolve(spec=spec, comment=question, by=asker, expected_revision=question.revision)


def _fresh(spec: Spec) -> Spec:
    return Spec.objects.with_current_version().get(pk=spec.pk)


def _assign_app_raci(spec: Spec, people: dict) -> None:
    taken = {(area, role, username) for area, role, username in APP_RACI}
    for area, role, username in APP_RACI:
        user = people[username]
        if role != "I" and user.pk == spec.author_id:
            # The author never reviews their own spec: a colleague takes the slot.
            user = next(
                people[name]
                for name in ("lukas", "mei", "kenji", "diego")
                if people[name].pk != spec.author_id and (area, role, name) not in taken
            )
            taken.add((area, role, user.username))
        actions.assign_raci(
            spec=spec,
            area=area,
            role=role,
            user=user,
            by=spec.author,
            expected_row_version=_fresh(spec).row_version,
        )


def _accountables(spec: Spec) -> list[tuple[str, object]]:
    return [
        (a.area, a.user)
        for a in RaciAssignment.objects.filter(
            spec=spec, role="A", user__isnull=False
        ).select_related("user")
    ]


def _step(spec: Spec, name: str, by, at: datetime.datetime, comment: str = "") -> None:
    actions.transition(
        spec=spec,
        name=name,
        by=by,
        expected_row_version=_fresh(spec).row_version,
        comment=comment,
        at=at,
    )


def _sign(spec: Spec, area: str, who, decision: str, comment: str, at: datetime.datetime) -> None:
    current = _fresh(spec).current_version
    assert current is not None
    number = current.number
    actions.sign_off(
        spec=spec,
        area=area,
        role="A",
        decision=decision,
        comment=comment,
        by=who,
        expected_version=number,
        at=at,
    )


def _tick_gates(spec: Spec, who, at: datetime.datetime, *, limit: int | None) -> None:
    review = load_review(_fresh(spec))
    for item in review.gate_items[:limit]:
        actions.tick_gate(
            spec=spec,
            item=item.key,
            state="checked",
            reason="",
            by=who,
            expected_version=review.version.number,
            expected_revision=0,
            at=at,
        )
