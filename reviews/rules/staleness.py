"""What a new version does to the sign-offs and gate ticks of the one before it.

Pure. An approval covers the text it approved and no more: when a new version leaves every
section an area covers unchanged (whitespace and re-wrapping are not changes), the area's
sign-offs carry to it and say so; when it changes them, they go stale. Vetoes ("request
changes", "concerns") never go stale on their own: they stay in force until their author
withdraws them or signs again. A profile can choose "strict": any change stales every approval.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from specs.diffing.fingerprints import WHOLE_DOCUMENT
from specs.review_policy import SCOPED, STRICT

from .vocabulary import Verdict
from .workflow import VETOES

__all__ = ["SCOPED", "STRICT", "VETOES", "CarryDecision", "Coverage", "carry_gate_tick"]


@dataclass(frozen=True)
class Coverage:
    """Whether the sections something covers changed between two versions, and which did."""

    unchanged: bool
    changed: tuple[str, ...]


@dataclass(frozen=True)
class CarryDecision:
    carries: bool
    reason: str


def coverage(
    old: Mapping[str, str], new: Mapping[str, str], sections: tuple[str, ...] | None
) -> Coverage:
    """Compare the sections `sections` names (None: the whole document) across two versions.

    A mapping none of whose sections exists in either version covers nothing we can check, so
    it falls back to the whole document rather than carrying an approval blindly.
    """
    present = tuple(s for s in sections or () if s in old or s in new)
    if not present:
        changed = tuple(
            key
            for key in dict.fromkeys([*old, *new])
            if key != WHOLE_DOCUMENT and old.get(key) != new.get(key)
        )
        return Coverage(old.get(WHOLE_DOCUMENT) == new.get(WHOLE_DOCUMENT), changed)
    changed = tuple(s for s in present if old.get(s) != new.get(s))
    return Coverage(not changed, changed)


def carry_signoff(
    verdict: Verdict, *, policy: str, covered: Coverage, signed_on: int
) -> CarryDecision:
    if verdict in VETOES:
        return CarryDecision(True, f"still in force from v{signed_on} until withdrawn or re-signed")
    if policy == STRICT:
        return CarryDecision(False, "stale: this profile stales approvals on any change")
    if covered.unchanged:
        return CarryDecision(True, f"carried from v{signed_on}: its sections are unchanged")
    return CarryDecision(False, "stale: changed " + ", ".join(covered.changed[:5]))


def carry_gate_tick(*, mapped: bool, policy: str, covered: Coverage) -> bool:
    """A tick carries only for items mapped to sections that did not change (scoped policy)."""
    return mapped and policy == SCOPED and covered.unchanged


def new_lint_errors(overridden: list[dict], current: list[dict]) -> list[dict]:
    """Errors of the current version that the overridden one did not have (same rule, same
    section). None: a lint override carries to the new version; some: it asks again."""
    known = {(f["rule"], f.get("section") or "") for f in overridden if f["severity"] == "error"}
    return [
        f
        for f in current
        if f["severity"] == "error" and (f["rule"], f.get("section") or "") not in known
    ]
