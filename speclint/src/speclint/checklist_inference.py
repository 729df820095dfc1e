"""Checklists in a template: which items a document must keep, and how many of them.

"Pick one of these and delete the rest" makes a checkbox list an option list (one kept item
answers it); "(R)" marks make only the marked items required; a nested item details its parent.
"""

from __future__ import annotations

from typing import Literal, cast

from .document import Document, Heading
from .guidance import is_marked_required, option_list_lines
from .model import ChecklistSpec
from .mojibake import repair_mojibake
from .structure import heading_path
from .text import find_placeholders, is_placeholder_only, requirement_label

__all__ = ["checklist_item_text", "checklist_label", "infer_checklists"]

_LABEL_PUNCTUATION = " :-\u2013\u2014"


def checklist_item_text(text: str) -> str | None:
    """The fixed part of a template checklist item (``Tech Lead`` of ``Tech Lead: [Name]``)."""
    placeholders = find_placeholders(text)
    if not placeholders:
        return text.strip() or None
    if is_placeholder_only(text) and not text[: placeholders[0].start].strip(_LABEL_PUNCTUATION):
        return None
    fixed = text[: placeholders[0].start].strip().rstrip(_LABEL_PUNCTUATION).strip()
    return fixed or None


def checklist_label(doc: Document, line: int) -> str | None:
    """The ``**Label:**`` paragraph that introduces the list holding ``line``, if any."""
    heading = doc.section_at(line)
    previous = None
    for block in doc.blocks:
        if block.line >= line:
            break
        if not block.containers:
            previous = block
    if previous is None or previous.kind != "paragraph" or not previous.label_only:
        return None
    if heading is not None and previous.line < heading.line:
        return None
    label = previous.text.strip()
    return label[:-1].strip() if label.endswith(":") else None


_GroupKey = tuple[int | None, str | None, bool]


def infer_checklists(doc: Document) -> tuple[ChecklistSpec, ...]:
    options = option_list_lines(doc)
    groups: dict[_GroupKey, list[str]] = {}
    top_depth = _checklist_depths(doc)
    for item in doc.list_items:
        if item.checked is None or (requirement_label(item.text) or "").startswith("AC-"):
            continue
        if item.depth > top_depth.get(doc.section_at(item.line), item.depth):
            continue  # a nested item details its parent item; the parent is what is required
        text = checklist_item_text(item.text)
        if text is None:
            continue
        label = checklist_label(doc, item.line)
        heading = doc.section_at(item.line)
        key = (None if label else heading.index if heading else None, label, item.line in options)
        groups.setdefault(key, []).append(text)
    checklists: list[ChecklistSpec] = []
    for (heading_index, label, is_choice), items in groups.items():
        spec = _checklist(doc, heading_index, label, _checklist_items(items, is_choice))
        if spec is not None:
            checklists.append(spec)
    return tuple(checklists)


def _checklist_depths(doc: Document) -> dict[Heading | None, int]:
    depths: dict[Heading | None, int] = {}
    for item in doc.list_items:
        if item.checked is not None:
            section = doc.section_at(item.line)
            depths[section] = min(depths.get(section, item.depth), item.depth)
    return depths


def _checklist_items(items: list[str], is_choice: bool) -> tuple[tuple[str, ...], str]:
    """Items a document must list, and how: all, one of them, or only those marked required."""
    if is_choice:
        return tuple(items), "one"
    marked = [item for item in items if is_marked_required(item)]
    if marked:
        return tuple(marked), "marked"
    return tuple(items), "all"


def _checklist(
    doc: Document,
    heading_index: int | None,
    label: str | None,
    items_and_mode: tuple[tuple[str, ...], str],
) -> ChecklistSpec | None:
    items, mode = items_and_mode
    kind = cast(Literal["all", "one", "marked"], mode)
    if label is not None:
        return ChecklistSpec(label, items, None, label, kind)
    if heading_index is None:
        return None
    heading = doc.headings[heading_index]
    return ChecklistSpec(
        repair_mojibake(heading.text), items, heading_path(doc, heading), None, kind
    )
