"""What a spec's life is called, once: its workflow states and the audit verbs specs writes.

Pure (no Django): the workflow rules, the model's choices and the dashboard's SQL all read it.
"""

from enum import StrEnum


class SpecState(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class SpecVerb(StrEnum):
    CREATED = "spec.created"
    REANALYSED = "version.reanalysed"


def choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """Model and form choices derived from a vocabulary enum: (value, label)."""
    return [(member.value, member.label) for member in enum]  # type: ignore[attr-defined]
