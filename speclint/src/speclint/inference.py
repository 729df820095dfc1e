"""Infer a profile from a template: its headings, tables, checklists, metadata and front matter."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal

from .checklist_inference import infer_checklists
from .document import Document, Heading, parse_document
from .fields import load_front_matter, metadata_lines
from .filler import learn_filler_lines, learn_filler_patterns
from .guidance import guidance_optional_reason, heading_jumps
from .model import (
    FieldSpec,
    FrontMatterSpec,
    MetadataSpec,
    Profile,
    SectionSpec,
    TableSpec,
)
from .mojibake import repair_mojibake
from .rules.registry import INFERRED_RULES
from .structure import heading_path, template_guidance, top_level_headings
from .text import (
    find_placeholders,
    requirement_label,
    template_key,
)

__all__ = ["infer_from_template"]

_OPTIONAL_MARKERS = (
    "recommended",
    "if applicable",
    "if relevant",
    "only if needed",
    "optional",
    "for template-driven deliverables",
)
_NA_MARKERS = ("rnia", "required or n/a")
_REMARK = re.compile(r"\(([^()]{0,200})\)")
_ALTERNATIVE = re.compile(r"^[A-Za-z][\w .-]{0,30}$")
_SEMVER = re.compile(r"^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OPTIONAL_COMMENT = re.compile(r"^\s*#.*\boptional\b", re.IGNORECASE | re.MULTILINE)
_NA_WORD = re.compile(r"\bN/A\b|\bRNIA\b")
_DATE_ORDER_PAIRS = (("created", "updated"), ("created", "last_updated"), ("date", "updated"))


def infer_from_template(template_text: str, *, name: str) -> Profile:
    doc = parse_document(template_text)
    title = doc.title
    return Profile(
        name=name,
        description=f"Inferred from the template '{_display(title.text)}'"
        if title
        else "Inferred profile",
        title=_display(title.text) if title else None,
        requires_title=title is not None,
        sections=_specs(doc, top_level_headings(doc), parent_required=True),
        tables=_tables(doc),
        checklists=infer_checklists(doc),
        metadata=_metadata(doc),
        front_matter=_front_matter(doc),
        rules=INFERRED_RULES,
        heading_jumps=heading_jumps(doc),
        filler_lines=learn_filler_lines(doc),
        filler_patterns=learn_filler_patterns(doc),
        # Only a template that speaks of N/A ("or N/A + reason") asks for a reason with it.
        na_needs_reason=_NA_WORD.search(template_text) is not None,
        na_waives_children=True,
        placeholder_mode="template",
        template_placeholders=frozenset(
            match.text for run in doc.runs for match in find_placeholders(run.text)
        ),
    )


def _heading_requiredness(title: str, parent_required: bool) -> tuple[bool, bool, str]:
    """(required, may be N/A, why) from the markers in a heading's parenthesised remarks."""
    remarks = " ".join(_REMARK.findall(title)).lower()
    if marker := next((m for m in _OPTIONAL_MARKERS if m in remarks), None):
        return False, False, f"heading says '{marker}'"
    if marker := next((m for m in _NA_MARKERS if m in remarks), None):
        return True, True, f"heading says '{marker}'"
    if "required" in remarks:
        return True, False, "heading says 'required'"
    return parent_required, False, "" if parent_required else "inside an optional section"


def _section_requiredness(
    doc: Document, heading: Heading, parent_required: bool
) -> tuple[bool, bool, str]:
    """Heading markers first; otherwise the section's own guidance may make it optional."""
    required, allow_na, reason = _heading_requiredness(heading.text, parent_required)
    if required and not reason and (sentence := guidance_optional_reason(doc, heading)):
        return False, False, f"guidance says '{_clip(sentence)}'"
    return required, allow_na, reason or ("required" if required else "")


def _clip(sentence: str) -> str:
    return sentence if len(sentence) <= 80 else f"{sentence[:77]}..."


def _specs(
    doc: Document, headings: list[Heading], *, parent_required: bool
) -> tuple[SectionSpec, ...]:
    specs: list[SectionSpec] = []
    for heading in headings:
        spec = _spec(doc, heading, parent_required)
        same = next((index for index, old in enumerate(specs) if old.key == spec.key), None)
        if same is None:
            specs.append(spec)
        elif spec.repeatable:
            # FR-1 and FR-2, or [parse_document] and [validate_record]: one repeatable section.
            old = specs[same]
            specs[same] = replace(old, guidance=old.guidance | spec.guidance)
    return tuple(specs)


def _spec(doc: Document, heading: Heading, parent_required: bool) -> SectionSpec:
    required, allow_na, reason = _section_requiredness(doc, heading, parent_required)
    own_start, own_end = heading.line + 1, doc.body_end(heading)
    own_items = [item for item in doc.list_items if own_start <= item.line <= own_end]
    return SectionSpec(
        title=_display(heading.text),
        key=template_key(heading.text),
        required=required,
        allow_na=allow_na,
        needs_mermaid=required
        and any(
            block.lang == "mermaid" and own_start <= block.line <= own_end
            for block in doc.code_blocks
        ),
        needs_checkbox=any(
            item.checked is not None and (requirement_label(item.text) or "").startswith("AC-")
            for item in own_items
        ),
        fields=_fields(doc, own_start, own_end),
        children=_specs(doc, doc.children(heading.index), parent_required=required),
        guidance=template_guidance(doc, heading.line + 1, heading.end_line),
        reason=reason,
    )


def _display(text: str) -> str:
    """A template heading as people should read it in messages (mojibake repaired)."""
    return repair_mojibake(text)


def enum_alternatives(value: str, separators: str = "|") -> tuple[str, ...]:
    """``Draft | In Review | Approved`` (or ``[A | B]``) as its alternatives; () otherwise."""
    stripped = value.strip()
    if stripped.startswith("[") and stripped.endswith("]"):
        stripped = stripped[1:-1]
    if find_placeholders(stripped):
        return ()
    pattern = "|".join(re.escape(separator) for separator in separators)
    parts = [part.strip() for part in re.split(pattern, stripped)]
    if len(parts) < 2 or not all(_ALTERNATIVE.match(part) for part in parts):
        return ()
    return tuple(parts)


def _fields(doc: Document, start: int, end: int) -> tuple[FieldSpec, ...]:
    fields: list[FieldSpec] = []
    for labelled in doc.labelled_lines:
        if start <= labelled.line <= end and labelled.context != "heading":
            allowed = enum_alternatives(labelled.value)
            if allowed and all(spec.label != labelled.label for spec in fields):
                fields.append(FieldSpec(labelled.label, allowed))
    return tuple(fields)


def _tables(doc: Document) -> tuple[TableSpec, ...]:
    tables: list[TableSpec] = []
    for table in doc.tables:
        heading = doc.section_at(table.line)
        if heading is None or heading is doc.title:
            continue
        columns = tuple(name for name in table.column_names if name)
        enums: list[tuple[str, tuple[str, ...]]] = []
        dates: list[str] = []
        for position, column in enumerate(table.column_names):
            cells = [row.cells[position].text for row in table.rows if position < len(row.cells)]
            alternatives = [enum_alternatives(cell, "|/") for cell in cells]
            if cells and all(alternatives):
                merged = tuple(dict.fromkeys(value for group in alternatives for value in group))
                enums.append((column, merged))
            if column.strip().lower() == "date" or (
                cells and all("YYYY-MM-DD" in c for c in cells)
            ):
                dates.append(column)
        tables.append(
            TableSpec(
                heading_path(doc, heading),
                _display(heading.text),
                columns,
                tuple(enums),
                tuple(dates),
            )
        )
    return tuple(tables)


def _metadata(doc: Document) -> tuple[MetadataSpec, ...]:
    specs: list[MetadataSpec] = []
    for labelled in metadata_lines(doc):
        if any(spec.key == labelled.label for spec in specs):
            continue
        value = labelled.value.strip()
        form: Literal["date", "semver"] | None = (
            "date" if "YYYY-MM-DD" in value else "semver" if _SEMVER.match(value) else None
        )
        specs.append(MetadataSpec(labelled.label, True, enum_alternatives(value), form))
    return tuple(specs)


def _front_matter(doc: Document) -> FrontMatterSpec | None:
    if doc.front_matter is None:
        return None
    data = load_front_matter(doc.front_matter.content)
    if not data:
        return None
    dates = tuple(
        key for key, value in data.items() if "YYYY-MM-DD" in value or _ISO_DATE.match(value)
    )
    order = tuple(pair for pair in _DATE_ORDER_PAIRS if pair[0] in dates and pair[1] in dates)
    # MADR: "# These are optional metadata elements. Feel free to remove any of them."
    optional = _OPTIONAL_COMMENT.search(doc.front_matter.content) is not None
    return FrontMatterSpec(() if optional else tuple(data), dates, order)
