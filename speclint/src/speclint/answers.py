"""Find where a document answers a template question, whatever shape the answer takes.

Templates ask questions as headings ("###### Does enabling the feature change any default
behavior?"); authors answer them under a reworded or older heading, as a bold lead-in
(``**Does enabling the feature change any default behavior?**``) or as a list item. Matching is by
token overlap, so small rewordings still count as the same question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .document import Document, Heading

__all__ = [
    "SAME_QUESTION",
    "answered_in_text",
    "headings_sharing_words",
    "lead_in",
    "merged_heading",
    "similar_heading",
    "similarity",
    "tokens",
]

_WORD = re.compile(r"[a-z0-9]+")
_STOP_WORD_LIST = """a an and are as at be by can do does for from how if in into is it its of on
    or our that the this to was were what when which who will with any there"""
_STOP_WORDS = frozenset(_STOP_WORD_LIST.split())
# Similarity at which two question texts are the same question (measured on real KEPs: older
# and newer wordings of the questionnaire score 0.6-0.9, unrelated questions below 0.4).
SAME_QUESTION = 0.6
_MIN_TOKENS = 3
_MARKERS = frozenset({"optional", "required", "recommended"})
_MAX_LEAD_IN = 300


@lru_cache(maxsize=8192)
def tokens(text: str) -> frozenset[str]:
    """Content words, plural ``s`` dropped, requiredness markers ("[optional]") ignored."""
    return frozenset(
        _stem(word)
        for word in _WORD.findall(text.lower())
        if word not in _STOP_WORDS and word not in _MARKERS
    )


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def similarity(question: str, candidate: str) -> float:
    """Share of the question's content words that the candidate text repeats (0..1).

    A candidate much longer than the question is a paragraph that mentions its words, not a
    heading or lead-in that asks it, and scores 0.
    """
    return _overlap(tokens(question), tokens(candidate))


def _overlap(asked: frozenset[str], written: frozenset[str]) -> float:
    if len(asked) < _MIN_TOKENS or len(written) < _MIN_TOKENS:
        # "Drawbacks [optional]" is "Drawbacks", but "Goals" is not "Non-Goals": short titles
        # match only word for word.
        return 1.0 if asked and asked == written else 0.0
    if len(written) > 2 * len(asked) + 2:
        return 0.0
    return len(asked & written) / len(asked)


def headings_sharing_words(doc: Document, title: str) -> set[int]:
    """Indices of the headings that share a content word with ``title`` (the only ones worth
    scoring; a document of 5,000 headings is otherwise scored 5,000 times per section)."""
    index = doc.__dict__.get("_heading_words")
    if index is None:
        index = {}
        for heading in doc.headings:
            for word in tokens(heading.text):
                index.setdefault(word, set()).add(heading.index)
        doc.__dict__["_heading_words"] = index
    return set().union(*(index.get(word, set()) for word in tokens(title)))


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
    asked = tokens(title)
    return any(
        start <= line <= end and _overlap(asked, written) >= SAME_QUESTION
        for line, written in _lead_ins(doc)
    )


def _lead_ins(doc: Document) -> list[tuple[int, frozenset[str]]]:
    """Each paragraph's opening question as words, once per document (asked for every section)."""
    cached = doc.__dict__.get("_lead_ins")
    if cached is None:
        # A table of contents names every section without answering any, and a checklist item
        # ("Production readiness review completed") ticks a step rather than answering.
        skipped = {link.line for link in doc.links if link.href.startswith("#")}
        skipped.update(item.line for item in doc.list_items if item.checked is not None)
        cached = [
            (paragraph.line, tokens(lead_in(paragraph.text)))
            for paragraph in doc.paragraphs
            if paragraph.line not in skipped
        ]
        doc.__dict__["_lead_ins"] = cached
    return cached


def lead_in(text: str) -> str:
    """The question a paragraph opens with (it may wrap over lines), else its first line."""
    flat = " ".join(text.split())
    question = flat.rfind("?", 0, _MAX_LEAD_IN)
    if question > 0:
        return flat[: question + 1]
    return text.strip().split("\n", 1)[0]


def merged_heading(
    title: str, missing_titles: list[str], headings: Iterable[Heading], used: set[int]
) -> Heading | None:
    """An unused heading that merges this section with missing siblings of the same head word.

    Policy RFCs answer "Guide-level explanation" and "Reference-level explanation" under one
    "## Explanation": the heading shares the word the two titles share, so it answers both.
    """
    shared = tokens(title)
    partners = [other for other in missing_titles if other != title and tokens(other) & shared]
    if not partners:
        return None
    for other in partners:
        shared = shared & tokens(other)
    return next(
        (h for h in headings if h.index not in used and shared and shared & tokens(h.text)),
        None,
    )
