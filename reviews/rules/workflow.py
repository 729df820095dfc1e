"""The review workflow as a pure transition table.

``evaluate`` tells the review page which transitions an actor may take and, for each refused one,
why in words a person understands; ``check`` is the same answer for one transition, which the
action re-asks inside the transaction that locks the spec row. Plain values in, frozen dataclasses
out: no models, no I/O, so the page, the server guard and the API can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .gates import GateItem, gate_progress, gate_reasons
from .vocabulary import AuditVerb, Role, State, Verdict

VETOES = frozenset({Verdict.REQUEST_CHANGES, Verdict.CONCERNS})


@dataclass(frozen=True)
class Area:
    """One row of the RACI table: who is what for this area (user ids)."""

    name: str
    accountable: tuple[int, ...] = ()
    responsible: tuple[int, ...] = ()
    consulted: tuple[int, ...] = ()
    informed: tuple[int, ...] = ()

    def people(self, role: Role) -> tuple[int, ...]:
        return {
            Role.RESPONSIBLE: self.responsible,
            Role.ACCOUNTABLE: self.accountable,
            Role.CONSULTED: self.consulted,
            Role.INFORMED: self.informed,
        }[role]


@dataclass(frozen=True)
class SignOff:
    area: str
    role: Role
    user_id: int
    decision: Verdict
    version: int
    comment: str = ""
    carried_from: int | None = None  # the version actually signed, when carried to this one


@dataclass(frozen=True)
class ReviewSnapshot:
    """Everything the guards need about one spec at its current version.

    ``signoffs`` holds those of older versions too: they are shown as stale, never counted.
    ``lint_errors`` is None while the current version waits for the linter.
    """

    state: State
    version: int
    author_id: int
    lint_errors: int | None = 0
    lint_override: bool = False
    areas: tuple[Area, ...] = ()
    signoffs: tuple[SignOff, ...] = ()
    gates: tuple[GateItem, ...] = ()
    open_blocking_comments: int = 0
    names: Mapping[int, str] = field(default_factory=dict, hash=False)

    def name(self, user_id: int) -> str:
        return self.names.get(user_id, f"user #{user_id}")

    def area(self, name: str) -> Area | None:
        return next((area for area in self.areas if area.name == name), None)

    def current_signoff(self, area: str, role: Role, user_id: int) -> SignOff | None:
        """This person's sign-off in this slot on the current version."""
        return next((s for s in self._slot(area, role, user_id) if s.version == self.version), None)

    def stale_signoff(self, area: str, role: Role, user_id: int) -> SignOff | None:
        """This person's latest approval in this slot on an older version. Vetoes never go
        stale: one still in force was carried to this version, one not carried was withdrawn."""
        older = [
            s
            for s in self._slot(area, role, user_id)
            if s.version < self.version and s.decision not in VETOES
        ]
        return max(older, key=lambda s: s.version, default=None)

    def _slot(self, area: str, role: Role, user_id: int) -> list[SignOff]:
        return [
            s for s in self.signoffs if s.area == area and s.role is role and s.user_id == user_id
        ]


@dataclass(frozen=True)
class Actor:
    """The person asking, with the spec permissions the permissions module granted them."""

    user_id: int
    is_author: bool = False
    can_upload: bool = False
    can_review: bool = False
    can_approve: bool = False
    can_administer: bool = False


@dataclass(frozen=True)
class TransitionCheck:
    """Whether ``name`` is allowed now; ``target`` is where it leads (or would lead)."""

    name: str
    target: State
    allowed: bool
    reasons: tuple[str, ...]


# name -> {from state: to state}; the first entry is where the transition usually leads.
TRANSITIONS: Mapping[str, Mapping[State, State]] = MappingProxyType(
    {
        "submit": {State.DRAFT: State.IN_REVIEW},
        "request_changes": {State.IN_REVIEW: State.CHANGES_REQUESTED},
        "new_version": {
            State.CHANGES_REQUESTED: State.IN_REVIEW,
            State.IN_REVIEW: State.IN_REVIEW,
            State.APPROVED: State.IN_REVIEW,
            State.DRAFT: State.DRAFT,
        },
        "approve": {State.IN_REVIEW: State.APPROVED},
        "reject": {State.IN_REVIEW: State.REJECTED},
        "withdraw": {
            State.DRAFT: State.WITHDRAWN,
            State.IN_REVIEW: State.WITHDRAWN,
            State.CHANGES_REQUESTED: State.WITHDRAWN,
        },
    }
)

# Every transition leaves an audit verb of its own name; a rename that forgets one fails here.
assert all(AuditVerb.of_transition(name) for name in TRANSITIONS)

NO_REVIEW_PERMISSION = "You do not have review permission on this spec"


def is_author(snapshot: ReviewSnapshot, actor: Actor) -> bool:
    # Either source suffices: the flag covers co-authors, the id covers a caller who forgot it,
    # and the rules that depend on it mostly forbid (self-approval), so erring towards yes is safe.
    return actor.is_author or actor.user_id == snapshot.author_id


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def lint_reasons(snapshot: ReviewSnapshot) -> list[str]:
    version = f"v{snapshot.version}"
    if snapshot.lint_errors is None:
        return [f"Lint: {version} has not been linted yet"]
    if snapshot.lint_errors and not snapshot.lint_override:
        errors = _count(snapshot.lint_errors, "error", "errors")
        return [f"Lint: {errors} on {version} and no override recorded"]
    return []


def raci_reasons(snapshot: ReviewSnapshot) -> list[str]:
    """What is wrong with the RACI assignments themselves (independent of any sign-off)."""
    if not snapshot.areas:
        # Otherwise "every area's Accountable approved" would hold for a spec nobody reviews.
        return ["The RACI table has no areas"]
    reasons: list[str] = []
    for area in snapshot.areas:
        count = len(area.accountable)
        if count == 0:
            reasons.append(f"{area.name} has no Accountable")
        elif count > 1:
            reasons.append(f"{area.name} has {count} Accountables (exactly one required)")
        elif area.accountable[0] == snapshot.author_id:
            name = snapshot.name(snapshot.author_id)
            reasons.append(
                f"{area.name}: the Accountable ({name}) is the author, "
                "who cannot sign off their own spec"
            )
    return reasons


def _approval_reasons(snapshot: ReviewSnapshot) -> list[str]:
    version = f"v{snapshot.version}"
    reasons: list[str] = []
    for area in snapshot.areas:
        # Malformed areas and an author as Accountable are reported by raci_reasons; skipping
        # them here also means an author's own approval can never count.
        if len(area.accountable) != 1 or area.accountable[0] == snapshot.author_id:
            continue
        user_id = area.accountable[0]
        who = f"{area.name}: Accountable ({snapshot.name(user_id)})"
        current = snapshot.current_signoff(area.name, Role.ACCOUNTABLE, user_id)
        if current is not None and current.decision is Verdict.APPROVE:
            continue
        if current is not None and current.decision is Verdict.REQUEST_CHANGES:
            reasons.append(f"{who} requested changes on {version}")
            continue
        stale = snapshot.stale_signoff(area.name, Role.ACCOUNTABLE, user_id)
        if stale is not None and stale.decision is Verdict.APPROVE:
            reasons.append(f"{who} has not approved {version} (approved v{stale.version})")
        else:
            reasons.append(f"{who} has not approved {version}")
    return reasons


def _holds(snapshot: ReviewSnapshot, actor: Actor, *roles: Role) -> bool:
    """Whether the actor may sign in one of ``roles`` of some area (never A on their own spec)."""
    author = is_author(snapshot, actor)
    return any(
        actor.user_id in area.people(role)
        for area in snapshot.areas
        for role in roles
        if not (author and role is Role.ACCOUNTABLE)
    )


def _submit(snapshot: ReviewSnapshot, actor: Actor) -> list[str]:
    reasons = []
    if not (is_author(snapshot, actor) or actor.can_administer):
        reasons.append("Only the author or an administrator can submit")
    return reasons + lint_reasons(snapshot) + raci_reasons(snapshot)


def _request_changes(snapshot: ReviewSnapshot, actor: Actor) -> list[str]:
    if not _holds(snapshot, actor, Role.ACCOUNTABLE, Role.RESPONSIBLE):
        return ["Only an area's Accountable or Responsible can request changes"]
    return [] if actor.can_review else [NO_REVIEW_PERMISSION]


def _new_version(snapshot: ReviewSnapshot, actor: Actor) -> list[str]:
    return [] if actor.can_upload else ["You cannot upload versions of this spec"]


def _approve(snapshot: ReviewSnapshot, actor: Actor) -> list[str]:
    reasons = []
    if is_author(snapshot, actor):
        reasons.append("The author cannot approve their own spec")
    elif not actor.can_approve:
        reasons.append("Only an approver can approve")
    reasons += lint_reasons(snapshot) + raci_reasons(snapshot) + _approval_reasons(snapshot)
    reasons += gate_reasons(gate_progress(snapshot.gates))
    if (n := snapshot.open_blocking_comments) > 0:
        reasons.append(_count(n, "blocking comment is open", "blocking comments are open"))
    return reasons


def _reject(snapshot: ReviewSnapshot, actor: Actor) -> list[str]:
    if is_author(snapshot, actor):
        return ["The author cannot reject their own spec"]
    if not _holds(snapshot, actor, Role.ACCOUNTABLE):
        return ["Only an area's Accountable can reject"]
    return [] if actor.can_review else [NO_REVIEW_PERMISSION]


def _withdraw(snapshot: ReviewSnapshot, actor: Actor) -> list[str]:
    if is_author(snapshot, actor) or actor.can_administer:
        return []
    return ["Only the author or an administrator can withdraw"]


_GUARDS: Mapping[str, Callable[[ReviewSnapshot, Actor], list[str]]] = MappingProxyType(
    {
        "submit": _submit,
        "request_changes": _request_changes,
        "new_version": _new_version,
        "approve": _approve,
        "reject": _reject,
        "withdraw": _withdraw,
    }
)


def check(snapshot: ReviewSnapshot, actor: Actor, name: str) -> TransitionCheck:
    """Whether ``actor`` may take transition ``name`` now, and if not, every reason why."""
    try:
        targets = TRANSITIONS[name]
    except KeyError:
        raise ValueError(f"Unknown transition {name!r}") from None
    target = targets.get(snapshot.state)
    if target is None:
        # Guards are moot from a state the transition does not leave; one reason says it all.
        usual = next(iter(targets.values()))
        reason = f"Not possible from {snapshot.state.label}"
        return TransitionCheck(name=name, target=usual, allowed=False, reasons=(reason,))
    reasons = tuple(_GUARDS[name](snapshot, actor))
    return TransitionCheck(name=name, target=target, allowed=not reasons, reasons=reasons)


def evaluate(snapshot: ReviewSnapshot, actor: Actor) -> tuple[TransitionCheck, ...]:
    """Every transition, in table order, with whether ``actor`` may take it now."""
    return tuple(check(snapshot, actor, name) for name in TRANSITIONS)
