"""Say once that a document does not look like its profile, instead of reporting every section.

A KEP linted against the tech-spec profile would get every tech-spec section reported missing;
that flood hides the one useful fact. When fewer than a third of the profile's required
top-level sections are present, the section findings are withheld and one ``profile-mismatch``
warning names the profile.
"""

from __future__ import annotations

from .document import Document
from .model import Finding, Profile
from .rules.registry import finding
from .structure import Structure

__all__ = ["STRUCTURE_RULES", "profile_mismatch"]

# What a mismatched profile would report for every one of its sections.
STRUCTURE_RULES = frozenset(
    {
        "required-section",
        "empty-section",
        "section-order",
        "checklist-item-missing",
        "table-columns",
        "table-empty",
        "metadata-missing",
        "front-matter",
        "field-missing",
        "mermaid-missing",
        "code-block-missing",
        "evidence-line",
    }
)
_MIN_COVERAGE = 1 / 3
# With fewer required sections a document cannot mismatch convincingly.
_MIN_REQUIRED = 3


def profile_mismatch(doc: Document, profile: Profile, structure: Structure) -> Finding | None:
    if "profile-mismatch" not in profile.rules:
        return None
    required = [spec for spec in profile.sections if spec.required]
    if len(required) < _MIN_REQUIRED:
        return None
    missing_top = sum(1 for item in structure.missing if not item.path[:-1])
    present = len(required) - missing_top
    if present / len(required) >= _MIN_COVERAGE:
        return None
    return finding(
        "profile-mismatch",
        1,
        f"The document does not look like a '{profile.name}' document: {present} of its "
        f"{len(required)} required sections are present (section findings withheld)",
    )
