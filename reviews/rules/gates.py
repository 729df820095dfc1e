"""Quality-gate evaluation: which checklist items of a version are done, and what may carry over.

Pure: plain values in, frozen dataclasses out. Loading items and recording ticks (including a
carry-over, which is audited as such) happen in ``reviews.actions``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "CarryOver",
    "GateItem",
    "GateProgress",
    "GateState",
    "GateTick",
    "carry_over",
    "gate_progress",
    "gate_reasons",
    "mark_problems",
]


class GateState(StrEnum):
    UNCHECKED = "unchecked"
    CHECKED = "checked"
    NA = "na"

    @property
    def label(self) -> str:
        return _GATE_LABELS[self]


_GATE_LABELS = {
    GateState.UNCHECKED: "Not checked",
    GateState.CHECKED: "Checked",
    GateState.NA: "N/A",
}


@dataclass(frozen=True)
class GateItem:
    """One checklist item of one version, with its current state."""

    key: str
    label: str
    state: GateState = GateState.UNCHECKED
    reason: str = ""

    @property
    def done(self) -> bool:
        # An N/A without a reason is an unchecked box in disguise, so it does not count.
        return self.state is GateState.CHECKED or (
            self.state is GateState.NA and bool(self.reason.strip())
        )


@dataclass(frozen=True)
class GateProgress:
    done: int
    total: int
    missing: tuple[GateItem, ...]

    @property
    def percent(self) -> int:
        # A profile without a checklist has nothing left to do, so it shows as complete.
        return 100 if self.total == 0 else self.done * 100 // self.total

    @property
    def complete(self) -> bool:
        return not self.missing


def gate_progress(items: Iterable[GateItem]) -> GateProgress:
    items = tuple(items)
    missing = tuple(item for item in items if not item.done)
    return GateProgress(done=len(items) - len(missing), total=len(items), missing=missing)


def _some(labels: Sequence[str], shown: int = 3) -> str:
    head = ", ".join(labels[:shown])
    return head + ", …" if len(labels) > shown else head


def gate_reasons(progress: GateProgress) -> tuple[str, ...]:
    """Why the gate is not passed, in words for the action bar."""
    unchecked = [i.label for i in progress.missing if i.state is not GateState.NA]
    no_reason = [i.label for i in progress.missing if i.state is GateState.NA]
    reasons: list[str] = []
    if unchecked:
        count = len(unchecked)
        noun = "1 gate item is" if count == 1 else f"{count} gate items are"
        reasons.append(f"{noun} neither checked nor N/A: {_some(unchecked)}")
    if no_reason:
        reasons.append(f"N/A needs a reason: {_some(no_reason)}")
    return tuple(reasons)


def mark_problems(state: GateState, reason: str = "") -> tuple[str, ...]:
    """What is wrong with a tick a reviewer is about to record (empty when it may be recorded)."""
    if state is GateState.NA and not reason.strip():
        return ("N/A needs a reason",)
    return ()


@dataclass(frozen=True)
class GateTick:
    """A tick (checked or N/A) recorded on some version, by someone."""

    key: str
    state: GateState
    version: int
    by: int
    reason: str = ""


@dataclass(frozen=True)
class CarryOver:
    """Ticks that can be carried to the new version, and those that cannot, with why."""

    carried: tuple[GateTick, ...]
    skipped: tuple[tuple[GateTick, str], ...]


def _skip_reason(tick: GateTick, target: dict[str, GateItem]) -> str | None:
    item = target.get(tick.key)
    if item is None:
        return "no longer on the checklist"
    if item.state is not GateState.UNCHECKED:
        # The newer decision on this version wins over an older one.
        return "already recorded on this version"
    if tick.state is GateState.UNCHECKED:
        return "not ticked"
    if mark_problems(tick.state, tick.reason):
        return "N/A without a reason"
    return None


def carry_over(ticks: Iterable[GateTick], items: Iterable[GateItem]) -> CarryOver:
    """Which ``ticks`` (recorded on an older version) apply to ``items`` of the current version.

    The key is an item's identity across versions (labels are only for display), so a tick carries
    over to the item with the same key even if its wording was touched up.
    """
    target = {item.key: item for item in items}
    carried: list[GateTick] = []
    skipped: list[tuple[GateTick, str]] = []
    for tick in ticks:
        why = _skip_reason(tick, target)
        if why is None and any(done.key == tick.key for done in carried):
            why = "another tick for this item is carried over"
        if why is None:
            carried.append(tick)
        else:
            skipped.append((tick, why))
    return CarryOver(carried=tuple(carried), skipped=tuple(skipped))
