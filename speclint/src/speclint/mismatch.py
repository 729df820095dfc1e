"""Say once that a document does not look like its profile, instead of reporting every section.

A KEP linted against the tech-spec profile would get every tech-spec section reported missing;
that flood hides the one useful fact. When fewer than a third of the profile's required
top-level sections are present and the document has at least three top-level sections of its
own that the profile does not know, it is another kind of document: the section findings are
withheld and one ``profile-mismatch`` warning names the profile. A stub with no sections of its
own is an unfinished document of this kind, and keeps every finding.
"""

from __future__ import annotations

from .document import Document
from .model import Finding, Profile
from .rules.registry import finding
from .structure import Structure, top_level_headings

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
# With fewer required sections, or fewer sections of its own, a document cannot mismatch
# convincingly.
_MIN_REQUIRED = 3
_MIN_FOREIGN = 3


def profile_mismatch(doc: Document, profile: Profile, structure: Structure) -> Finding | None:
    if "profile-mismatch" not in profile.rules:
        return None
    required = [spec for spec in profile.sections if spec.required]
    if len(required) < _MIN_REQUIRED:
        return None
    missing_top = sum(1 for item in structure.missing if not item.path[:-1])
    present = len(required) - missing_top
    if present / len(required) >= _MIN_COVERAGE or _foreign_sections(doc, structure) < _MIN_FOREIGN:
        return None
    return finding(
        "profile-mismatch",
        1,
        f"The document does not look like a '{profile.name}' document: {present} of its "
        f"{len(required)} required sections are present (section findings withheld)",
    )


def _foreign_sections(doc: Document, structure: Structure) -> int:
    matched = {match.heading.index for match in structure.matches}
    return sum(1 for heading in top_level_headings(doc) if heading.index not in matched)
