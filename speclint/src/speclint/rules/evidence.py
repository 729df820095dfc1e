"""The evidence rule: every paragraph is closed by an ``Evidence:`` or ``Evidence gap:`` line."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document import Block, Document
from ..model import Finding
from . import Context
from .registry import finding

__all__ = ["check", "is_evidence_line"]

_EVIDENCE = re.compile(r"^[*_\s]{0,4}evidence(?: gaps?)?[*_\s]{0,4}:", re.IGNORECASE)
_EXEMPT_SECTIONS = frozenset({"evidence gaps", "evidence map"})


def is_evidence_line(text: str) -> bool:
    return bool(_EVIDENCE.match(text.strip()))


def check(context: Context) -> Iterator[Finding]:
    if not context.on("evidence-line"):
        return
    doc = context.doc
    # Metadata and `**Status:** planned` field lines state facts about the spec, not claims.
    fields = {
        labelled.line
        for labelled in doc.labelled_lines
        if labelled.context == "paragraph" and not labelled.containers
    }
    pending: Block | None = None
    for block in doc.blocks:
        if block.containers:
            continue
        if block.kind == "heading":
            if pending is not None:
                yield _finding(pending)
            pending = None
            continue
        if block.kind != "paragraph" or _exempt(doc, block, fields):
            continue
        lines = block.text.split("\n")
        if is_evidence_line(lines[0]):
            pending = None
            continue
        if pending is not None:
            yield _finding(pending)
        pending = None if is_evidence_line(lines[-1]) else block
    if pending is not None:
        yield _finding(pending)


def _finding(block: Block) -> Finding:
    first = block.text.split("\n")[0]
    excerpt = first if len(first) <= 60 else f"{first[:57]}..."
    return finding(
        "evidence-line",
        block.line,
        f"Paragraph '{excerpt}' is not closed by an 'Evidence:' or 'Evidence gap:' line",
        end_line=block.end_line,
    )


def _exempt(doc: Document, block: Block, fields: set[int]) -> bool:
    if block.label_only:
        return True
    if all(line in fields for line in range(block.line, block.end_line + 1)):
        return True
    heading = doc.section_at(block.line)
    while heading is not None:
        if heading.key in _EXEMPT_SECTIONS:
            return True
        heading = doc.headings[heading.parent] if heading.parent is not None else None
    return False
