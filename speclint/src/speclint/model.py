"""The values the linter trades in: profiles (what a template requires), findings and results."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from .text import PATTERN_MARK

__all__ = [
    "ChecklistSpec",
    "Condition",
    "FieldSpec",
    "Finding",
    "FrontMatterSpec",
    "LintResult",
    "MetadataSpec",
    "Profile",
    "ProfileError",
    "SectionSpec",
    "Severity",
    "TableSpec",
]

Severity = Literal["error", "warning", "info"]
SectionPath = tuple[str, ...]


class ProfileError(ValueError):
    """A template or override that cannot become a profile (bad TOML, unknown section path)."""


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    line: int
    end_line: int
    column: int
    message: str
    section: str | None = None
    suppressed: bool = False
    suppression_reason: str | None = None


@dataclass(frozen=True)
class LintResult:
    path: str
    profile: str
    findings: tuple[Finding, ...]

    @cached_property
    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for finding in self.findings:
            if not finding.suppressed:
                counts[finding.severity] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        return self.counts["error"] > 0


@dataclass(frozen=True)
class FieldSpec:
    """A ``**Label:** value`` field each instance of a section must carry, from a closed set."""

    label: str
    allowed: tuple[str, ...]


@dataclass(frozen=True)
class Condition:
    """A section required only while a metadata or front-matter field holds one of ``values``."""

    field: str
    values: tuple[str, ...]

    def holds(self, fields: dict[str, str]) -> bool:
        value = fields.get(self.field.strip().lower())
        return value is not None and value.strip().lower() in {v.lower() for v in self.values}


@dataclass(frozen=True)
class SectionSpec:
    title: str
    key: str
    required: bool
    allow_na: bool = False
    needs_mermaid: bool = False
    needs_code: str | None = None
    needs_checkbox: bool = False
    fields: tuple[FieldSpec, ...] = ()
    children: tuple[SectionSpec, ...] = ()
    guidance: frozenset[str] = frozenset()
    # Why inference decided requiredness ("heading marker", "guidance: 'If applicable'"...),
    # shown on the profile preview so that an admin can correct it.
    reason: str = ""
    condition: Condition | None = None
    # Keys of other headings that answer this section (an older template's wording).
    aliases: tuple[str, ...] = ()

    @property
    def repeatable(self) -> bool:
        """A pattern section (``Component: <name>``): one or more matching headings."""
        return PATTERN_MARK in self.key

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        parts = self.key.split(" ")
        if len(parts) == 3 and parts[1] == "n" and parts[2] == PATTERN_MARK:
            return re.compile(rf"{re.escape(parts[0])} \d+(?: .*)?")
        pieces = [".+" if part == PATTERN_MARK else re.escape(part) for part in parts]
        return re.compile(" ".join(pieces))

    def matches(self, key: str) -> bool:
        if not self.repeatable:
            return key == self.key or key in self.aliases
        return self._pattern.fullmatch(key) is not None


@dataclass(frozen=True)
class TableSpec:
    section: SectionPath
    section_title: str
    columns: tuple[str, ...]
    enums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    date_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChecklistSpec:
    """Items a checklist must list; found under ``section`` or after a ``**label:**`` line."""

    title: str
    items: tuple[str, ...]
    section: SectionPath | None = None
    label: str | None = None
    # "all": every item; "one": an option list ("pick one and delete the rest"), one suffices;
    # "marked": only the items the template marks "(R)" or "required" are listed in ``items``.
    mode: Literal["all", "one", "marked"] = "all"


@dataclass(frozen=True)
class MetadataSpec:
    key: str
    required: bool
    allowed: tuple[str, ...] = ()
    form: Literal["date", "semver"] | None = None


@dataclass(frozen=True)
class FrontMatterSpec:
    required: tuple[str, ...]
    dates: tuple[str, ...] = ()
    order: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Profile:
    name: str
    description: str = ""
    title: str | None = None
    requires_title: bool = False
    sections: tuple[SectionSpec, ...] = ()
    tables: tuple[TableSpec, ...] = ()
    checklists: tuple[ChecklistSpec, ...] = ()
    metadata: tuple[MetadataSpec, ...] = ()
    front_matter: FrontMatterSpec | None = None
    rules: frozenset[str] = field(default_factory=frozenset)
    # Heading level jumps the template itself makes (h3 -> h6): never reported in a document.
    heading_jumps: frozenset[tuple[int, int]] = frozenset()
    # The template's own filler: whole lines (normalised) and regular expressions (``NNNN``).
    filler_lines: frozenset[str] = frozenset()
    filler_patterns: tuple[str, ...] = ()
    # "any": every placeholder shape is reported (built-in profiles). "template": a bracketed or
    # one-word angle placeholder is reported only if the template itself uses it, so that test
    # tags (``[LinuxOnly]``) and naming patterns (``hugepages-<size>``) in real specs pass.
    placeholder_mode: Literal["any", "template"] = "any"
    template_placeholders: frozenset[str] = frozenset()
    # Whether an N/A answer needs a reason; templates that never mention N/A do not ask for one.
    na_needs_reason: bool = True
    # An N/A answer to a section waives its subsections (not only for RNIA sections).
    na_waives_children: bool = False

    @property
    def checklist_items(self) -> tuple[str, ...]:
        """Gate items in template order: quality gate, Definition of Done, approvals."""
        return tuple(item for checklist in self.checklists for item in checklist.items)

    @property
    def required_top_level(self) -> tuple[SectionSpec, ...]:
        return tuple(spec for spec in self.sections if spec.required)

    def summary(self) -> dict[str, Any]:
        """Plain data describing the profile, for an admin to review before saving it."""
        return {
            "name": self.name,
            "description": self.description,
            "title_required": self.requires_title,
            "template_title": self.title,
            "rules": sorted(self.rules),
            "metadata": [
                {
                    "key": spec.key,
                    "required": spec.required,
                    "allowed": list(spec.allowed),
                    "form": spec.form,
                }
                for spec in self.metadata
            ],
            "front_matter": None
            if self.front_matter is None
            else {
                "required": list(self.front_matter.required),
                "dates": list(self.front_matter.dates),
                "order": [list(pair) for pair in self.front_matter.order],
            },
            "sections": [_section_summary(spec) for spec in self.sections],
            "conditional_sections": _conditional_summary(self.sections),
            "heading_jumps": [f"h{a} \u2192 h{b}" for a, b in sorted(self.heading_jumps)],
            "filler_lines": sorted(self.filler_lines),
            "filler_patterns": list(self.filler_patterns),
            "na_needs_reason": self.na_needs_reason,
            "placeholder_mode": self.placeholder_mode,
            "template_placeholders": sorted(self.template_placeholders),
            "tables": [
                {
                    "section": " > ".join(table.section),
                    "section_title": table.section_title,
                    "columns": list(table.columns),
                    "enums": {column: list(values) for column, values in table.enums},
                    "date_columns": list(table.date_columns),
                }
                for table in self.tables
            ],
            "checklists": [
                {
                    "title": checklist.title,
                    "section": None if checklist.section is None else " > ".join(checklist.section),
                    "label": checklist.label,
                    "items": list(checklist.items),
                    "mode": checklist.mode,
                }
                for checklist in self.checklists
            ],
        }


def describe_profile(profile: Profile) -> dict[str, Any]:
    return profile.summary()


def _conditional_summary(
    specs: tuple[SectionSpec, ...], path: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for spec in specs:
        if spec.condition is not None:
            found.append(
                {
                    "section": " > ".join((*path, spec.title)),
                    "field": spec.condition.field,
                    "values": list(spec.condition.values),
                }
            )
        found.extend(_conditional_summary(spec.children, (*path, spec.title)))
    return found


def _section_summary(spec: SectionSpec) -> dict[str, Any]:
    return {
        "title": spec.title,
        "key": spec.key,
        "pattern": spec.repeatable,
        "required": spec.required,
        "na_allowed": spec.allow_na,
        "needs_mermaid": spec.needs_mermaid,
        "needs_code": spec.needs_code,
        "needs_checkbox": spec.needs_checkbox,
        "reason": spec.reason,
        "aliases": list(spec.aliases),
        "condition": None
        if spec.condition is None
        else {"field": spec.condition.field, "values": list(spec.condition.values)},
        "fields": [{"label": item.label, "allowed": list(item.allowed)} for item in spec.fields],
        "children": [_section_summary(child) for child in spec.children],
    }
