"""The template's own filler, learned from the template and found again in documents.

Templates ship example text meant to be replaced: ``KEP-NNNN``, MADR's ``{title of option 1}``,
``- `<package>`: `<date>` - `<test coverage>```, "Complete features A, B, C". A document that
still carries such a line was not filled in, even when no generic placeholder shape matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .document import Document
from .guidance import option_list_lines

__all__ = ["FillerHit", "filler_hits", "learn_filler_lines", "learn_filler_patterns"]

_REPEATED_LETTER = re.compile(r"\b([A-Z])\1{3,}\b")
_CURLY = re.compile(r"\{[^{}\n]{0,120}\s[^{}\n]{0,120}\}")
_CURLY_SOURCE = r"\{[^{}\n]{0,120}\s[^{}\n]{0,120}\}"
# A template uses a placeholder style when it does so at least this often, not by accident.
_STYLE_MIN_USES = 2
_MIN_WORDS = 3
_MIN_SENTENCE_WORDS = 6
_CHECKBOX = re.compile(r"^\s*\[[ xX]\]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"\w+")


def normalise_line(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def learn_filler_patterns(doc: Document) -> tuple[str, ...]:
    """Regular expressions for the template's placeholder tokens, from its prose."""
    prose = "\n".join(run.text for run in doc.runs)
    patterns = [
        rf"\b{re.escape(token)}\b"
        for token in dict.fromkeys(m.group(0) for m in _REPEATED_LETTER.finditer(prose))
    ]
    if len(_CURLY.findall(prose)) >= _STYLE_MIN_USES:
        patterns.append(_CURLY_SOURCE)
    return tuple(patterns)


def learn_filler_lines(doc: Document) -> frozenset[str]:
    """Example lines of the template (list items and paragraphs) that a filled spec replaces.

    Checklists and option lists are kept by filled specs, and so is the text that introduces
    them, so sections holding checkboxes are not filler.
    """
    options = option_list_lines(doc)
    checklist_sections = {
        doc.section_at(item.line) for item in doc.list_items if item.checked is not None
    }
    # A table of contents repeats the headings, and filled specs keep it.
    headings = {normalise_line(heading.text) for heading in doc.headings}
    units: set[str] = set()
    for text, line in _units(doc):
        if line in options or doc.section_at(line) in checklist_sections:
            continue
        key = normalise_line(text)
        if len(key.split()) >= _MIN_WORDS and key not in headings:
            units.add(key)
    return frozenset(units)


def _units(doc: Document) -> Iterator[tuple[str, int]]:
    """List items, paragraphs and each sentence of a paragraph: authors paste back a sentence
    of a wrapped template paragraph as often as the whole of it."""
    list_lines = {item.line for item in doc.list_items}
    for item in doc.list_items:
        if item.checked is None:
            yield item.text, item.line
    for paragraph in doc.paragraphs:
        # A bold label (``**Out of Scope:**``) and a checkbox written as a paragraph
        # ("[ ] I/we understand ...") are structure that filled specs keep.
        if paragraph.line in list_lines or paragraph.label_only or _CHECKBOX.match(paragraph.text):
            continue
        yield paragraph.text, paragraph.line
        for offset, line in enumerate(paragraph.text.split("\n")):
            for sentence in _SENTENCE.split(line):
                if len(sentence.split()) >= _MIN_SENTENCE_WORDS:
                    yield sentence, paragraph.line + offset


@dataclass(frozen=True)
class FillerHit:
    line: int
    column: int
    text: str


def filler_hits(
    doc: Document, lines: frozenset[str], patterns: tuple[str, ...]
) -> Iterator[FillerHit]:
    """Template filler left in a document: whole example lines, then placeholder tokens."""
    whole: set[int] = set()
    if lines:
        for text, line in _units(doc):
            if line not in whole and normalise_line(text) in lines:
                whole.add(line)
                yield FillerHit(line, 1, _short(text))
    compiled = [re.compile(pattern) for pattern in patterns]
    for run in doc.runs:
        if run.line in whole:
            continue
        for pattern in compiled:
            for match in pattern.finditer(run.text):
                yield FillerHit(run.line, run.column_at(match.start()), match.group(0))


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else f"{flat[:57]}..."
