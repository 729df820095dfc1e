"""The review's words, once: RACI roles, sign-off verdicts, scope decisions, audit verbs.

Pure (no Django). Model and form choices derive from these (``specs.vocabulary.choices``);
the dashboard's SQL and the notifications read the same members, so renaming one fails at
import, not in production.
"""

from enum import StrEnum

from specs.vocabulary import SpecState as State
from specs.vocabulary import SpecVerb, choices

__all__ = ["AuditVerb", "Role", "ScopeDecision", "SpecVerb", "State", "Verdict", "choices"]


class Role(StrEnum):
    RESPONSIBLE = "R"
    ACCOUNTABLE = "A"
    CONSULTED = "C"
    INFORMED = "I"

    @property
    def label(self) -> str:
        return self.name.capitalize()


class Verdict(StrEnum):
    """What one person records in one RACI slot of one version."""

    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    NO_CONCERNS = "no_concerns"
    CONCERNS = "concerns"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def recorded(self) -> str:
        """How a recorded verdict reads ("Changes requested")."""
        return _RECORDED[self]


_RECORDED = {
    Verdict.APPROVE: "Approved",
    Verdict.REQUEST_CHANGES: "Changes requested",
    Verdict.NO_CONCERNS: "No concerns",
    Verdict.CONCERNS: "Concerns",
}


class ScopeDecision(StrEnum):
    """A row of the scope decision log decides a request one of these ways."""

    APPROVED = "Approved"
    DEFERRED = "Deferred"
    REJECTED = "Rejected"

    @property
    def label(self) -> str:
        return self.value


class AuditVerb(StrEnum):
    """Every verb reviews writes to the audit trail (specs writes ``SpecVerb``)."""

    SUBMIT = "spec.submit"
    APPROVE = "spec.approve"
    REJECT = "spec.reject"
    WITHDRAW = "spec.withdraw"
    REQUEST_CHANGES = "spec.request_changes"
    NEW_VERSION = "spec.new_version"
    SIGNOFF_RECORDED = "signoff.recorded"
    SIGNOFF_CARRIED = "signoff.carried"
    SIGNOFF_WITHDRAWN = "signoff.withdrawn"
    AREA_SECTIONS_SET = "raci.sections_set"
    GATE_TICKED = "gate.ticked"
    GATE_CARRIED_OVER = "gate.carried_over"
    DECISION_RECORDED = "decision.recorded"
    DECISION_SUPERSEDED = "decision.superseded"
    LINT_OVERRIDDEN = "lint.overridden"
    COMMENT_ADDED = "comment.added"
    COMMENT_REPLIED = "comment.replied"
    COMMENT_ADDRESSED = "comment.addressed"
    COMMENT_RESOLVED = "comment.resolved"
    COMMENT_REOPENED = "comment.reopened"
    RACI_SEEDED = "raci.seeded"
    RACI_ASSIGNED = "raci.assigned"
    RACI_UNASSIGNED = "raci.unassigned"
    RACI_UPDATED = "raci.updated_from_document"

    @classmethod
    def of_transition(cls, name: str) -> "AuditVerb":
        return cls(f"spec.{name}")
