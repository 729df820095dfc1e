"""Who may sign which RACI slot with which decision, and the sign-off matrix of a version.

Pure, like ``reviews.rules.workflow`` whose values it shares; ``reviews.actions`` records sign-offs
only after ``sign_off_problems`` came back empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from .vocabulary import Verdict
from .workflow import (
    NO_REVIEW_PERMISSION,
    Actor,
    Area,
    ReviewSnapshot,
    Role,
    State,
    is_author,
)

__all__ = [
    "ALLOWED_DECISIONS",
    "AreaRow",
    "CellState",
    "MatrixCell",
    "allowed_decisions",
    "sign_off_problems",
    "signoff_matrix",
    "why_cannot_sign",
]

ALLOWED_DECISIONS: Mapping[Role, tuple[Verdict, ...]] = MappingProxyType(
    {
        Role.RESPONSIBLE: (Verdict.APPROVE, Verdict.REQUEST_CHANGES),
        Role.ACCOUNTABLE: (Verdict.APPROVE, Verdict.REQUEST_CHANGES),
        Role.CONSULTED: (Verdict.NO_CONCERNS, Verdict.CONCERNS),
        Role.INFORMED: (),
    }
)

# Asking for changes or raising a concern without saying what leaves the author guessing.
_COMMENT_REQUIRED: Mapping[Verdict, str] = MappingProxyType(
    {
        Verdict.REQUEST_CHANGES: "Requesting changes needs a comment",
        Verdict.CONCERNS: "Concerns need a comment",
    }
)

# Reviewers of other areas keep signing while the author works on requested changes.
_SIGNING_STATES = frozenset({State.IN_REVIEW, State.CHANGES_REQUESTED})

# Responsible and Consulted weigh in before the Accountable decides, so they are named first.
_TURN_ORDER = (Role.RESPONSIBLE, Role.CONSULTED, Role.ACCOUNTABLE)


def allowed_decisions(role: Role) -> tuple[Verdict, ...]:
    return ALLOWED_DECISIONS[role]


AUTHOR_CANNOT_SIGN = "The author cannot sign off on their own spec"


def _slot_reasons(snapshot: ReviewSnapshot, actor: Actor, area: Area, role: Role) -> list[str]:
    if is_author(snapshot, actor):
        return [AUTHOR_CANNOT_SIGN]
    assigned = area.people(role)
    if not assigned:
        return [f"{area.name} has no {role.label}"]
    if actor.user_id not in assigned:
        names = ", ".join(snapshot.name(user_id) for user_id in assigned)
        return [f"Only {names} can sign as {role.label} for {area.name}"]
    return []


def why_cannot_sign(
    snapshot: ReviewSnapshot, actor: Actor, area: str, role: Role
) -> tuple[str, ...]:
    """Why ``actor`` may not sign the ``role`` slot of ``area`` now (empty when they may)."""
    reasons: list[str] = []
    if snapshot.state not in _SIGNING_STATES:
        reasons.append(f"Sign-offs are recorded during review, not in {snapshot.state.label}")
    found = snapshot.area(area)
    if found is None:
        return (*reasons, f"There is no RACI area {area!r}")
    if role is Role.INFORMED:
        return (*reasons, "Informed people are notified and sign nothing")
    reasons += _slot_reasons(snapshot, actor, found, role)
    if not actor.can_review and not is_author(snapshot, actor):
        reasons.append(NO_REVIEW_PERMISSION)
    return tuple(reasons)


def sign_off_problems(
    snapshot: ReviewSnapshot,
    actor: Actor,
    area: str,
    role: Role,
    decision: Verdict,
    comment: str = "",
) -> tuple[str, ...]:
    """``why_cannot_sign``, plus whether ``decision`` fits the role and has the comment it needs."""
    reasons = list(why_cannot_sign(snapshot, actor, area, role))
    allowed = allowed_decisions(role)
    if allowed and decision not in allowed:
        choices = " or ".join(d.label for d in allowed)
        reasons.append(f"{role.label} can record {choices}, not {decision.label}")
    needs_comment = _COMMENT_REQUIRED.get(decision)
    if needs_comment and not comment.strip():
        reasons.append(needs_comment)
    return tuple(reasons)


class CellState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    NO_CONCERNS = "no_concerns"
    CONCERNS = "concerns"
    STALE = "stale"


_OPEN = frozenset({CellState.PENDING, CellState.STALE})
_VETO_CELLS = frozenset({CellState.CHANGES_REQUESTED, CellState.CONCERNS})

_CELL_STATE = {
    Verdict.APPROVE: CellState.APPROVED,
    Verdict.REQUEST_CHANGES: CellState.CHANGES_REQUESTED,
    Verdict.NO_CONCERNS: CellState.NO_CONCERNS,
    Verdict.CONCERNS: CellState.CONCERNS,
}


@dataclass(frozen=True)
class MatrixCell:
    """One person in one R/A/C slot of an area, as of the current version."""

    role: Role
    user_id: int
    name: str
    state: CellState
    stale_from: int | None = None
    comment: str = ""
    carried_from: int | None = None

    @property
    def label(self) -> str:
        if self.state is CellState.STALE:
            return f"stale from v{self.stale_from}"
        label = self.state.value.replace("_", " ")
        if self.carried_from is None:
            return label
        if self.state in _VETO_CELLS:
            return f"{label} on v{self.carried_from}, still in force"
        return f"{label} on v{self.carried_from}, carried: its sections are unchanged"


@dataclass(frozen=True)
class AreaRow:
    area: str
    cells: tuple[MatrixCell, ...]
    informed: tuple[str, ...]
    turn: str
    done: bool


def _cell(snapshot: ReviewSnapshot, area: Area, role: Role, user_id: int) -> MatrixCell:
    name = snapshot.name(user_id)
    current = snapshot.current_signoff(area.name, role, user_id)
    if current is not None:
        state = _CELL_STATE[current.decision]
        return MatrixCell(
            role, user_id, name, state, comment=current.comment, carried_from=current.carried_from
        )
    stale = snapshot.stale_signoff(area.name, role, user_id)
    if stale is not None:
        return MatrixCell(role, user_id, name, CellState.STALE, stale_from=stale.version)
    return MatrixCell(role, user_id, name, CellState.PENDING)


def _turn(snapshot: ReviewSnapshot, area: Area, cells: tuple[MatrixCell, ...]) -> tuple[str, bool]:
    """Whose move it is in this area, and whether the area is done (its Accountable approved)."""
    if len(area.accountable) != 1:
        return ("needs exactly one Accountable", False)
    if area.accountable[0] == snapshot.author_id:
        return ("needs an Accountable other than the author", False)
    if any(c.role is Role.ACCOUNTABLE and c.state is CellState.APPROVED for c in cells):
        return ("done", True)
    requested = [c for c in cells if c.state is CellState.CHANGES_REQUESTED]
    standing = [c for c in requested if c.carried_from is not None]
    if standing:
        # A veto carried to this version waits on its author, not on yet another version.
        by = ", ".join(f"{c.name} ({c.role.label})" for c in standing)
        return (f"waiting on {by} to re-sign or withdraw the request for changes", False)
    if requested:
        by = ", ".join(f"{c.name} ({c.role.label})" for c in requested)
        author = snapshot.name(snapshot.author_id)
        return (f"waiting on {author} (author) for a new version; changes requested by {by}", False)
    # The Accountable has not approved (checked above), so they are always among those waited on.
    waiting = [
        c
        for role in _TURN_ORDER
        for c in cells
        if c.role is role and (role is Role.ACCOUNTABLE or c.state in _OPEN)
    ]
    return ("waiting on " + ", ".join(f"{c.name} ({c.role.label})" for c in waiting), False)


def signoff_matrix(snapshot: ReviewSnapshot) -> tuple[AreaRow, ...]:
    """Areas x R/A/C: each person's state on the current version and whose turn it is."""
    rows: list[AreaRow] = []
    for area in snapshot.areas:
        cells = tuple(
            _cell(snapshot, area, role, user_id)
            for role in (Role.RESPONSIBLE, Role.ACCOUNTABLE, Role.CONSULTED)
            for user_id in area.people(role)
        )
        turn, done = _turn(snapshot, area, cells)
        informed = tuple(snapshot.name(user_id) for user_id in area.informed)
        rows.append(AreaRow(area.name, cells, informed, turn, done))
    return tuple(rows)
