"""Find where a document answers a template question, whatever shape the answer takes.

Templates ask questions as headings ("###### Does enabling the feature change any default
behavior?"); authors answer them under a reworded or older heading, as a bold lead-in
(``**Does enabling the feature change any default behavior?**``) or as a list item. Matching is by
token overlap, so small rewordings still count as the same question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .document import Document, Heading

__all__ = ["answered_in_text", "similar_heading", "similarity"]

_WORD = re.compile(r"[a-z0-9]+")
_STOP_WORDS = frozenset(
    """a an and are as at be by can do does for from how if in into is it its of on or our
    that the this to was were what when which who will with any there""".split()
)
# Similarity at which two question texts are the same question (measured on real KEPs: older
# and newer wordings of the questionnaire score 0.6-0.9, unrelated questions below 0.4).
SAME_QUESTION = 0.6
# Headings of one or two words ("Goals", "Drawbacks") must match exactly; fuzzy matching them
# would pair "Goals" with "Non-Goals".
_MIN_TOKENS = 3


def tokens(text: str) -> frozenset[str]:
    return frozenset(word for word in _WORD.findall(text.lower()) if word not in _STOP_WORDS)


def similarity(left: str, right: str) -> float:
    """Overlap of content words, relative to the shorter text (0..1)."""
    a, b = tokens(left), tokens(right)
    if len(a) < _MIN_TOKENS or len(b) < _MIN_TOKENS:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def similar_heading(title: str, headings: Iterable[Heading], used: set[int]) -> Heading | None:
    """The unused heading most similar to a template title, if it is the same question."""
    best: tuple[float, Heading] | None = None
    for heading in headings:
        if heading.index in used:
            continue
        score = similarity(title, heading.text)
        if score >= SAME_QUESTION and (best is None or score > best[0]):
            best = (score, heading)
    return best[1] if best else None


def answered_in_text(doc: Document, title: str, start: int, end: int) -> bool:
    """Whether a bold lead-in, paragraph opening or list item between the lines asks it."""
    for paragraph in doc.paragraphs:
        if start <= paragraph.line <= end:
            first_line = paragraph.text.strip().split("\n", 1)[0]
            if similarity(title, first_line) >= SAME_QUESTION:
                return True
    return False
