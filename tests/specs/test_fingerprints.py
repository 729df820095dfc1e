"""Section fingerprints: which sections a later version changed, and where each one starts."""

from specs.diffing.fingerprints import (
    WHOLE_DOCUMENT,
    changed_sections,
    opening_headings,
    section_fingerprints,
)

V1 = """# Ledger export

Owner: Aisha.

## 1. Context

Finance exports the ledger.

### Constraints

Auditors read CSV.

## 2. Scope

Only the ledger.
"""


def test_an_edit_marks_its_section_only_and_a_rewrap_marks_nothing():
    edited = V1.replace("Only the ledger.", "Only the ledger, and its journal.")
    assert changed_sections(section_fingerprints(V1), section_fingerprints(edited)) == {
        "scope": "changed"
    }
    rewrapped = V1.replace("Finance exports the ledger.", "Finance exports\nthe ledger.")
    assert changed_sections(section_fingerprints(V1), section_fingerprints(rewrapped)) == {}


def test_a_new_section_is_added_and_a_removed_one_is_not_listed():
    later = V1.replace("## 2. Scope\n\nOnly the ledger.\n", "## 2. Rollout\n\nIn one step.\n")
    changes = changed_sections(section_fingerprints(V1), section_fingerprints(later))
    assert changes == {"rollout": "added"}
    assert WHOLE_DOCUMENT not in changes


def test_each_section_is_opened_by_its_first_heading_not_its_sub_headings():
    # Contents lines (1-based): the title, "1. Context", its "Constraints", "2. Scope".
    headings = [1, 5, 9, 13]
    assert opening_headings(V1, headings) == {1: "preamble", 5: "context", 13: "scope"}
    # A line past the end (contents from another text) is ignored, not an error.
    assert opening_headings(V1, [5, 400]) == {5: "context"}
