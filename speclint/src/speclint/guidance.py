"""Read a template's instructions the way its authors meant them.

Templates say what is optional in prose more often than in headings: "If applicable, ...",
"**Note:** *Not required until targeted at a release.*", an HTML comment "This is an optional
element" just above a heading. They mark which checklist items are required with ``(R)``, and turn
a checkbox list into a choice with "Pick one of these and delete the rest". This module finds
those instructions; :mod:`.inference` applies them.
"""

from __future__ import annotations

import re

from .document import Document, Heading
from .structure import body_blocks

__all__ = [
    "guidance_optional_reason",
    "heading_jumps",
    "is_marked_required",
    "option_list_lines",
]

# Sentences (after lower-casing) that make a whole section optional. Anchored to the start of a
# sentence, so "the motivation section can optionally provide links" does not count.
_OPTIONAL_SENTENCE = re.compile(
    r"^(?:note:\s*)?(?:"
    r"\(?optional\)?\b"
    r"|this (?:section|element|part) is optional"
    r"|this is an optional (?:element|section)"
    r"|if applicable\b"
    r"|if relevant\b"
    r"|not required until\b"
    r"|(?:for|when|if|once) [^,.]{1,40}, this section is required"
    r"|this section (?:must|should) be completed when\b"
    r")"
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n")
_CHOICE = re.compile(
    r"\b(?:pick|choose|select) (?:one|one or more|one more|any)\b[^.]{0,40}\b(?:delete|remove)\b"
)
_MARKED = re.compile(r"^\s*(?:\(R\)|\[R\]|\*\*required\*\*|required:|\(required\))", re.IGNORECASE)
_COMMENT_MARKS = re.compile(r"<!--|-->")
# Only the guidance right under a heading speaks for the section, not a list item deep inside.
_LEADING_BLOCKS = 3


def _sentences(text: str) -> list[str]:
    plain = _COMMENT_MARKS.sub(" ", text).replace("*", "").replace("_", " ")
    return [s.strip().lower() for s in _SENTENCE_SPLIT.split(plain) if s.strip()]


def _optional_sentence(text: str) -> str | None:
    for sentence in _sentences(text):
        if _OPTIONAL_SENTENCE.match(sentence):
            return sentence
    return None


def guidance_optional_reason(doc: Document, heading: Heading) -> str | None:
    """The sentence that makes ``heading``'s section optional, or None.

    Read: an HTML comment directly above the heading (MADR's "This is an optional element"),
    and the first few paragraphs and comments of the section's own body.
    """
    above = _comment_above(doc, heading)
    if above is not None and (sentence := _optional_sentence(above)):
        return sentence
    body = [
        block
        for block in body_blocks(doc, heading.line + 1, doc.body_end(heading))
        if block.kind in ("paragraph", "comment", "html") and not block.containers
    ]
    # A comment touching the next heading speaks for that heading, as MADR places them.
    if body and body[-1].kind == "comment" and body[-1].end_line >= doc.body_end(heading):
        body.pop()
    for block in body[:_LEADING_BLOCKS]:
        if sentence := _optional_sentence(block.text):
            return sentence
    return None


def _comment_above(doc: Document, heading: Heading) -> str | None:
    previous = doc.blocks[: _block_index(doc, heading.line)]
    if not previous or previous[-1].kind != "comment":
        return None
    block = previous[-1]
    return block.text if block.end_line >= heading.line - 1 else None


def _block_index(doc: Document, line: int) -> int:
    return next((i for i, block in enumerate(doc.blocks) if block.line >= line), len(doc.blocks))


def option_list_lines(doc: Document) -> set[int]:
    """Lines of checklist items that form a choice: the list after "Pick one ... delete the rest".

    The instruction may sit in a paragraph or an HTML comment; the choice is the next list of
    checkboxes in the same section.
    """
    lines: set[int] = set()
    for block in doc.blocks:
        if block.kind not in ("paragraph", "comment") or not _CHOICE.search(block.text.lower()):
            continue
        section = doc.section_at(block.line)
        end = section.end_line if section is not None else doc.line_count
        items = [item for item in doc.list_items if block.line < item.line <= end]
        boxes = [item for item in items if item.checked is not None]
        boxes = [item for item in boxes if item.depth == boxes[0].depth]
        lines.update(item.line for item in _first_run(boxes, items))
    return lines


def _first_run(boxes: list, items: list) -> list:
    """The first checkbox list after the instruction (later lists answer other questions)."""
    if not boxes:
        return []
    run = [boxes[0]]
    for item in boxes[1:]:
        depth = run[0].depth
        between = [i for i in items if run[-1].line < i.line < item.line and i.depth == depth]
        if between:
            break
        run.append(item)
    return run


def is_marked_required(text: str) -> bool:
    """A checklist item the template marks as required: ``(R) Design details are documented``."""
    return bool(_MARKED.match(text))


def heading_jumps(doc: Document) -> frozenset[tuple[int, int]]:
    """(from, to) levels where the template's own headings skip a level."""
    jumps: set[tuple[int, int]] = set()
    previous = 0
    for heading in doc.headings:
        if previous and heading.level > previous + 1:
            jumps.add((previous, heading.level))
        previous = heading.level
    return frozenset(jumps)
