"""Checklist rules: every template checklist item present; acceptance criteria as checkboxes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..answers import SAME_QUESTION, similarity, tokens
from ..document import Document, ListItem
from ..model import ChecklistSpec, Finding
from . import Context
from .registry import finding

__all__ = ["check", "item_key"]

_NOT_ALNUM = re.compile(r"[^\w\s]|_")


def item_key(text: str) -> str:
    return " ".join(_NOT_ALNUM.sub(" ", text.lower()).split())


def check(context: Context) -> Iterator[Finding]:
    for checklist in context.profile.checklists:
        if checklist.section is not None:
            yield from _section_checklist(context, checklist)
        else:
            yield from _labelled_checklist(context.doc, checklist)
    for match in context.structure.matches:
        if not match.spec.needs_checkbox or match.waived:
            continue
        heading = match.heading
        if not any(
            item.checked is not None and heading.line < item.line <= heading.end_line
            for item in context.doc.list_items
        ):
            yield finding(
                "checklist-item-missing",
                heading.line,
                f"Section '{heading.text}' has no acceptance-criterion checkbox "
                "('- [ ] AC-1: ...')",
            )


def _same_item(present: str, wanted: str) -> bool:
    """Exact start, every word of the template item kept, or a light rewording of it."""
    if present.startswith(item_key(wanted)):
        return True
    wanted_tokens = tokens(wanted)
    if wanted_tokens and wanted_tokens <= tokens(present):
        return True
    return similarity(wanted, present) >= SAME_QUESTION


def _missing(checklist: ChecklistSpec, items: list[ListItem]) -> list[str]:
    present = [item_key(item.text) for item in items]
    absent = [
        wanted
        for wanted in checklist.items
        if not any(_same_item(text, wanted) for text in present)
    ]
    if checklist.mode != "one":
        return absent
    # An option list ("pick one and delete the rest"): one kept option answers it.
    if len(absent) < len(checklist.items):
        return []
    return [f"one of: {', '.join(checklist.items)}"]


def _section_checklist(context: Context, checklist: ChecklistSpec) -> Iterator[Finding]:
    assert checklist.section is not None
    for match in context.structure.instances(checklist.section):
        heading = match.heading
        if match.waived:
            continue
        items = [
            item for item in context.doc.list_items if heading.line < item.line <= heading.end_line
        ]
        if checklist.mode == "one" and _answered_in_prose(context.doc, heading.line, items):
            continue
        for wanted in _missing(checklist, items):
            yield finding(
                "checklist-item-missing",
                heading.line,
                f"Checklist '{checklist.title}' lacks the item '{wanted}'",
            )


def _answered_in_prose(doc: Document, line: int, items: list[ListItem]) -> bool:
    """An option list answered in the author's own words needs none of the options kept."""
    heading = doc.section_at(line)
    end = heading.end_line if heading is not None else doc.line_count
    checkbox_lines = {item.line for item in items if item.checked is not None}
    return any(
        line < paragraph.line <= end and paragraph.line not in checkbox_lines
        for paragraph in doc.paragraphs
    )


def _labelled_checklist(doc: Document, checklist: ChecklistSpec) -> Iterator[Finding]:
    label = item_key(checklist.label or "")
    introducer = next(
        (
            block
            for block in doc.blocks
            if block.kind == "paragraph" and block.label_only and item_key(block.text) == label
        ),
        None,
    )
    if introducer is None:
        items, line = list(doc.list_items), 1
    else:
        next_heading = next(
            (h.line for h in doc.headings if h.line > introducer.line),
            doc.line_count + 1,
        )
        items = [item for item in doc.list_items if introducer.line < item.line < next_heading]
        line = introducer.line
    for wanted in _missing(checklist, items):
        yield finding(
            "checklist-item-missing",
            line,
            f"Checklist '**{checklist.label}:**' lacks the item '{wanted}'",
        )
