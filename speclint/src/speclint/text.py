"""Text helpers shared by the parser, the profiles and the rules: keys, slugs, placeholders.

Everything here works on one already-extracted piece of prose (a heading, a table cell, a
paragraph line); structure always comes from the markdown-it token stream. Every pattern is
bounded (no nested quantifiers, bounded repetition) so that a 100k-character line stays linear.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .mojibake import repair_mojibake

__all__ = [
    "PATTERN_MARK",
    "PlaceholderMatch",
    "column_key",
    "find_placeholders",
    "find_todo_markers",
    "github_slug",
    "is_placeholder_only",
    "na_reason_words",
    "normalise_value",
    "section_key",
    "strip_placeholders",
]

# Stands for "a placeholder was here" inside template keys; survives normalisation.
PATTERN_MARK = "*"

_HTML_ELEMENT_NAMES = """
    a abbr address area article aside audio b base bdi bdo blockquote body br button canvas
    caption cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe
    img input ins kbd label legend li link main map mark menu meta meter nav noscript object ol
    optgroup option output p param picture pre progress q rp rt ruby s samp script search section
    select slot small source span strong style sub summary sup table tbody td template textarea
    tfoot th thead time title tr track u ul var video wbr center font big tt strike acronym
    math svg
"""
HTML_ELEMENTS = frozenset(_HTML_ELEMENT_NAMES.split())

_KEYCAP = re.compile("[0-9#*]\ufe0f?\u20e3")
_PARENTHESISED = re.compile(r"\([^()]{0,200}\)")
_NUMBERING = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3}){0,4}[a-z]?[.)]|\d{1,3}(?:\.\d{1,3}){0,4})\s+")
_NOT_WORD = re.compile("[^\\w\\s\ue000]|_")
_SENTINEL = "\ue000"
_SPACES = re.compile(r"\s+")
_REQUIREMENT_LABEL = re.compile(r"^([A-Za-z]{1,5})-(\d{1,4})\b")

_ANGLE = re.compile(r"<([^<>\n]{1,160})>")
_BRACKET = re.compile(r"\[([^\[\]\n]{1,160})\]")
_DATE_PLACEHOLDER = re.compile(r"\bYYYY-MM-DD\b")
_TODO = re.compile(r"(?<!\w)(?:TODO|FIXME|TBD|XXX)(?!\w)")

_AUTOLINK_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*$")
_AUTOLINK_EMAIL = re.compile(r"^[\w.!#$%&'*+/=?^`{|}~-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,10}$")
_TAG = re.compile(r"^/?([A-Za-z][A-Za-z0-9-]{0,30})(?:\s[^<>]{0,150})?/?$")
_ARROW = re.compile(r"^[-=~]{1,10}$")
_GENERIC_ARGS = re.compile(r"^[\w\[\]?.,\s]{1,150}$")
_UPPER_PLACEHOLDER = re.compile(r"^[A-Z][A-Z0-9_]{0,40}(?:[\s_/|:-]{1,5}[A-Z0-9_]{1,40}){0,12}$")
_APOSTROPHES = "'\u2019"
_WORDS = re.compile(rf"[^\W\d_][\w{_APOSTROPHES}.-]{{0,60}}")
_SMALL_WORD_LIST = (
    "a an and as at by e.g. etc etc. for from in into of on or per the to via vs vs. with"
)
_SMALL_WORDS = frozenset(_SMALL_WORD_LIST.split())
_LABEL = re.compile(r"[\w][\w /&-]{0,38}:")
_NA = re.compile(r"^\W{0,4}N/A(?![\w/])", re.IGNORECASE)
_REASON_WORD = re.compile(rf"[^\W_]+(?:[{_APOSTROPHES}-][^\W_]+)*")
_NA_LABEL = re.compile(r"^[^\n:]{1,60}:\s{0,5}")


def section_key(title: str) -> str:
    """Normalised heading key: how a document section is matched to a template section."""
    text = repair_mojibake(title)
    text = _KEYCAP.sub(" ", text)
    text = "".join(
        " " if unicodedata.category(char) in ("So", "Sk", "Cf", "Mn") else char for char in text
    )
    text = _PARENTHESISED.sub(" ", text)
    text = text.replace("&", " and ").lower()
    text = _NUMBERING.sub("", text)
    text = _NOT_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def template_key(title: str) -> str:
    """Key of a template heading, placeholders replaced by ``*`` and ``FR-1`` by ``fr n``."""
    text = repair_mojibake(title)
    label = _REQUIREMENT_LABEL.match(section_text(text))
    if label:
        return f"{label.group(1).lower()} n {PATTERN_MARK}"
    for match in reversed(find_placeholders(text, headings=True)):
        text = f"{text[: match.start]} {_SENTINEL} {text[match.end :]}"
    return section_key(text).replace(_SENTINEL, PATTERN_MARK)


def section_text(text: str) -> str:
    return text.strip().lstrip("*_ ")


def requirement_label(text: str) -> str | None:
    """``FR-3`` for ``FR-3: Export``; None when the text does not start with such an id."""
    match = _REQUIREMENT_LABEL.match(section_text(text))
    if not match:
        return None
    return f"{match.group(1).upper()}-{int(match.group(2))}"


def column_key(name: str) -> str:
    """Table column names compare case-, space- and punctuation-blind."""
    return "".join(char for char in name.lower() if char.isalnum())


def normalise_value(value: str) -> str:
    return _SPACES.sub(" ", value.strip().strip("*_`").strip()).lower()


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading (before the ``-1`` suffix for duplicates)."""
    kept = [
        char
        for char in text.lower()
        if char.isalnum() or char in "-_ " or unicodedata.category(char).startswith("M")
    ]
    return "".join(kept).replace(" ", "-")


@dataclass(frozen=True)
class PlaceholderMatch:
    start: int
    end: int
    text: str


def find_placeholders(
    text: str, *, headings: bool = False, preceding: str = ""
) -> list[PlaceholderMatch]:
    """Unfilled template placeholders in one piece of prose, outermost first, no overlaps.

    ``headings`` also accepts lower-case ``[snake_case]`` names, which template headings use
    for repeatable sections (``### [parse_document]``) but prose uses for array indexing.
    ``preceding`` is the source character before ``text`` (``List`` in ``List<T>``).
    """
    found: list[PlaceholderMatch] = []
    if "<" in text:
        for match in _ANGLE.finditer(text):
            if _is_angle_placeholder(text, match, preceding):
                found.append(PlaceholderMatch(match.start(), match.end(), match.group(0)))
    if "[" in text:
        for match in _BRACKET.finditer(text):
            if _is_bracket_placeholder(text, match, headings):
                found.append(PlaceholderMatch(match.start(), match.end(), match.group(0)))
    if "YYYY" in text:
        for match in _DATE_PLACEHOLDER.finditer(text):
            found.append(PlaceholderMatch(match.start(), match.end(), match.group(0)))
    found.sort(key=lambda item: (item.start, -item.end))
    outermost: list[PlaceholderMatch] = []
    for item in found:
        if outermost and item.start < outermost[-1].end:
            continue
        outermost.append(item)
    return outermost


def _is_angle_placeholder(text: str, match: re.Match[str], preceding: str) -> bool:
    content = match.group(1)
    if content[0].isspace() or content[-1].isspace() or content[0] in "!?":
        return False
    if _AUTOLINK_URI.match(content) or _AUTOLINK_EMAIL.match(content) or _ARROW.match(content):
        return False
    tag = _TAG.match(content)
    if tag and tag.group(1).lower() in HTML_ELEMENTS:
        return False
    before = text[match.start() - 1] if match.start() else preceding
    # Generics written in prose: List<T>, Map<K, V>, Result<Order, Error>.
    return not ((before.isalnum() or before == "_") and _GENERIC_ARGS.match(content))


def _is_bracket_placeholder(text: str, match: re.Match[str], headings: bool) -> bool:
    content = match.group(1).strip()
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    if not content or content[0] in "^!" or after == "(":
        return False
    if before and (before in "!\\]_" or before.isalnum()):
        return False
    if content in ("x", " "):
        return False
    if _UPPER_PLACEHOLDER.match(content) and any(char.isalpha() for char in content):
        return True
    if content.lower().startswith("e.g."):
        return True
    words = _WORDS.findall(content)
    if not words:
        return False
    if all(word[0].isupper() or word.lower() in _SMALL_WORDS for word in words):
        return any(word[0].isupper() for word in words)
    if (content[0].isupper() or content[0].isdigit()) and " " in content:
        return True
    return headings and bool(re.fullmatch(r"[a-z][a-z0-9_]{0,60}", content))


def strip_placeholders(text: str) -> str:
    pieces: list[str] = []
    cursor = 0
    for match in find_placeholders(text):
        pieces.append(text[cursor : match.start])
        cursor = match.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def is_placeholder_only(text: str) -> bool:
    """True when nothing but placeholders, labels and punctuation is left: ``G3: <goal>``."""
    if not find_placeholders(text):
        return False
    rest = _LABEL.sub(" ", strip_placeholders(text))
    return not any(char.isalnum() for char in rest)


def find_todo_markers(text: str) -> list[re.Match[str]]:
    if not any(marker in text for marker in ("TODO", "FIXME", "TBD", "XXX")):
        return []
    return list(_TODO.finditer(text))


def na_reason_words(text: str) -> int | None:
    """Words of reason after a leading ``N/A`` (also ``Label: N/A``); None when not N/A."""
    stripped = text.strip()
    match = _NA.match(stripped)
    if not match:
        label = _NA_LABEL.match(stripped)
        if not label:
            return None
        stripped = stripped[label.end() :]
        match = _NA.match(stripped)
        if not match:
            return None
    reason = stripped[match.end() :]
    return len(_REASON_WORD.findall(reason))
