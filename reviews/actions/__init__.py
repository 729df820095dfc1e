"""Writes that matter for reviews.

Each is one transaction that locks the spec row, re-asks the pure rules (reviews.rules.workflow,
reviews.rules.signoffs, reviews.rules.gates) against freshly loaded state, writes, and records an
audit event. A form that was built from older state raises `StaleForm` (the view answers 409
with the fresh panel), never a silent overwrite.
"""

from ._common import ReviewError, StaleForm
from .carrying import area_sections, set_area_sections, withdraw_signoff
from .comments import add_comment, mark_addressed, reopen, reply, resolve
from .decisions import record_decision
from .gate_ticks import carry_over_gates, tick_gate, tick_gates
from .last_seen import note_seen, with_last_seen
from .raci_edits import apply_raci_proposal, assign_raci, seed_raci_from_version, unassign_raci
from .signoffs import sign_off
from .transitions import (
    MIN_OVERRIDE_REASON_WORDS,
    record_lint_override,
    take_new_version,
    transition,
)

__all__ = [
    "MIN_OVERRIDE_REASON_WORDS",
    "ReviewError",
    "StaleForm",
    "add_comment",
    "apply_raci_proposal",
    "area_sections",
    "assign_raci",
    "carry_over_gates",
    "mark_addressed",
    "note_seen",
    "record_decision",
    "record_lint_override",
    "reopen",
    "reply",
    "resolve",
    "seed_raci_from_version",
    "set_area_sections",
    "sign_off",
    "take_new_version",
    "tick_gate",
    "tick_gates",
    "transition",
    "unassign_raci",
    "with_last_seen",
    "withdraw_signoff",
]
