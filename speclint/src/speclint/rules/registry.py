"""Every rule id, its severity and a one-line description (the SARIF rule list is built from it)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Finding, Severity

__all__ = ["GENERIC_RULES", "INFERRED_RULES", "RULES", "RuleInfo", "finding"]


@dataclass(frozen=True)
class RuleInfo:
    severity: Severity
    description: str


RULES: dict[str, RuleInfo] = {
    "required-section": RuleInfo("error", "A section the profile requires is absent."),
    "empty-section": RuleInfo(
        "error", "A required section holds only headings, copied template guidance or placeholders."
    ),
    "section-order": RuleInfo("warning", "Required sections are not in the template's order."),
    "heading-increment": RuleInfo("warning", "A heading skips a level."),
    "duplicate-heading": RuleInfo("warning", "Two sibling headings have the same text."),
    "placeholder": RuleInfo("error", "An unfilled template placeholder is left in prose."),
    "todo-marker": RuleInfo("warning", "TODO, FIXME, TBD or XXX is left in prose."),
    "metadata-missing": RuleInfo("error", "A required **Key:** metadata field is absent."),
    "metadata-value": RuleInfo("error", "A metadata value is outside its allowed set or form."),
    "date-format": RuleInfo("error", "A date is not a real ISO-8601 calendar date."),
    "evidence-line": RuleInfo(
        "error", "A paragraph is not closed by an 'Evidence:' or 'Evidence gap:' line."
    ),
    "table-columns": RuleInfo("error", "A required table is missing or lacks a required column."),
    "table-empty": RuleInfo("error", "A required table has no data rows."),
    "enum-value": RuleInfo(
        "error", "A table cell or labelled field is outside its allowed values."
    ),
    "raci-accountable": RuleInfo(
        "error", "A RACI row has no Accountable, or more than one person Accountable."
    ),
    "raci-responsible": RuleInfo("error", "A RACI row has no Responsible."),
    "checklist-item-missing": RuleInfo("error", "An item of a template checklist is absent."),
    "na-without-reason": RuleInfo("error", "'N/A' is given with fewer than three words of reason."),
    "mermaid-missing": RuleInfo("error", "A section that requires a diagram has no mermaid block."),
    "mermaid-syntax": RuleInfo("error", "A mermaid block does not look like a valid diagram."),
    "code-syntax": RuleInfo("error", "A python, json, toml or yaml block does not parse."),
    "broken-anchor": RuleInfo("error", "A '#fragment' link matches no heading in the document."),
    "mojibake": RuleInfo("warning", "UTF-8 text that was decoded as cp1252, Latin-1 or Mac Roman."),
    "requirement-id": RuleInfo(
        "error", "A requirement id (FR-n, TR-n, NFR-n, AC-n) is used twice."
    ),
    "front-matter": RuleInfo(
        "error", "Required YAML front matter is absent, invalid or incomplete."
    ),
    "code-block-missing": RuleInfo("error", "A section that requires a code block has none."),
    "field-missing": RuleInfo("error", "A **Label:** field the template requires is absent."),
    "suppression-reason": RuleInfo("error", "A speclint suppression comment gives no reason."),
    "suppression-rule": RuleInfo(
        "warning", "A speclint suppression comment names an unknown rule."
    ),
    "policy-topic": RuleInfo("warning", "A topic the policy pack requires is not addressed."),
    "template-filler": RuleInfo(
        "error", "A line or token of the template's own example text is left in the document."
    ),
    "table-shape": RuleInfo("error", "A table row has more or fewer cells than its header."),
    "fence-unclosed": RuleInfo(
        "error", "A code fence is never closed, so the rest of the document reads as code."
    ),
    "profile-mismatch": RuleInfo(
        "warning", "The document matches its profile poorly; section findings are withheld."
    ),
}

GENERIC_RULES = frozenset(
    {
        "heading-increment",
        "duplicate-heading",
        "placeholder",
        "todo-marker",
        "mermaid-syntax",
        "code-syntax",
        "broken-anchor",
        "mojibake",
        "requirement-id",
        "table-shape",
        "fence-unclosed",
    }
)

# The evidence rule is a house rule of one template, so only an override turns it on.
INFERRED_RULES = frozenset(RULES) - {
    "evidence-line",
    "policy-topic",
    "suppression-reason",
    "suppression-rule",
}


def finding(
    rule: str, line: int, message: str, *, column: int = 1, end_line: int | None = None
) -> Finding:
    return Finding(
        rule=rule,
        severity=RULES[rule].severity,
        line=max(line, 1),
        end_line=max(end_line if end_line is not None else line, line, 1),
        column=max(column, 1),
        message=message,
    )
