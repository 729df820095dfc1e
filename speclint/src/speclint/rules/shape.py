"""Shape rules any Markdown document can break, template or not, and the template's own filler.

``table-shape``: a row with more or fewer cells than its header; markdown-it silently pads or
drops cells, so the row is read from its source line. ``fence-unclosed``: a fence that never
closes turns the rest of its container into code; reported where it opens, since every later
finding is only its consequence. ``template-filler``: example lines and tokens learned from the
template (see :mod:`speclint.filler`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document import Document
from ..filler import filler_hits
from ..inline import split_table_row
from ..model import Finding
from . import Context
from .registry import finding

__all__ = ["cell_count", "check"]

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


def check(context: Context) -> Iterator[Finding]:
    doc = context.doc
    if context.on("table-shape"):
        yield from _table_shapes(doc)
    if context.on("fence-unclosed"):
        yield from _unclosed_fences(doc)
    if context.on("template-filler"):
        profile = context.profile
        for hit in filler_hits(doc, profile.filler_lines, profile.filler_patterns):
            yield finding(
                "template-filler",
                hit.line,
                f"Template example text left in: '{hit.text}'",
                column=hit.column,
            )


def cell_count(raw: str) -> int:
    """Cells in a table row's source line (code spans holding pipes stay one cell)."""
    pieces = split_table_row(raw)
    if pieces is not None:
        return len(pieces)
    body = raw.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return len(_UNESCAPED_PIPE.split(body))


def _table_shapes(doc: Document) -> Iterator[Finding]:
    for table in doc.tables:
        width = cell_count(doc.lines[table.line - 1])
        for row in table.rows:
            cells = cell_count(doc.lines[row.line - 1])
            if cells != width:
                yield finding(
                    "table-shape",
                    row.line,
                    f"Table row has {cells} cells; its header has {width}",
                )


def _unclosed_fences(doc: Document) -> Iterator[Finding]:
    swallowed_until = 0
    for block in doc.code_blocks:
        opener = _FENCE.match(doc.lines[block.line - 1]) if block.fenced else None
        if opener is None or _closed(doc, block.line, block.end_line, opener.group(1)):
            continue
        # A fence left open inside a list ends with the list; the mis-indented closer right
        # after it then opens a fence of its own. One defect, reported where it began.
        if block.line > swallowed_until + 2:
            yield finding(
                "fence-unclosed",
                block.line,
                f"Code fence '{opener.group(1)}' opened here is never closed; "
                "the rest of the section reads as code",
            )
        swallowed_until = block.end_line


def _closed(doc: Document, line: int, end_line: int, fence: str) -> bool:
    last = doc.lines[end_line - 1].strip() if end_line > line else ""
    return last.startswith(fence[0] * len(fence)) and not last.strip(fence[0])
