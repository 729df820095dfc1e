"""Where a comment written on an older version sits in the version being read.

Pure: source texts and line numbers in, a frozen `Anchor` out. The diff's equal runs carry lines
that did not change; text that moved shows up as a delete plus an insert, so when the diff loses
the lines we look for the quoted excerpt itself. Only when neither finds it is the comment
outdated, and even then it is shown, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from specs.diffing import Opcode, line_opcodes


@dataclass(frozen=True)
class Anchor:
    line_start: int | None  # 1-based, inclusive, in the version being read
    line_end: int | None
    moved: bool = False  # lines differ from where the comment was written
    outdated: bool = False  # its lines are gone from the version being read


def map_lines(opcodes: list[Opcode], start: int, end: int) -> list[int]:
    """The new 1-based numbers of old lines start..end that survived unchanged."""
    mapped = []
    for tag, i1, i2, j1, _ in opcodes:
        if tag != "equal":
            continue
        for old in range(max(i1, start - 1), min(i2, end)):
            mapped.append(j1 + (old - i1) + 1)
    return mapped


def find_excerpt(lines: list[str], excerpt: str, near: int) -> int | None:
    """The 1-based line where the excerpt's lines start in `lines`, nearest to `near`."""
    wanted = excerpt.splitlines()
    if not wanted or not any(line.strip() for line in wanted):
        return None
    size = len(wanted)
    hits = [i + 1 for i in range(len(lines) - size + 1) if lines[i : i + size] == wanted]
    return min(hits, key=lambda hit: abs(hit - near)) if hits else None


def reanchor(
    old_lines: list[str],
    new_lines: list[str],
    start: int,
    end: int,
    excerpt: str,
    opcodes: list[Opcode] | None = None,
    quote: str = "",
) -> Anchor:
    """Re-anchor old lines start..end into the new text (`opcodes` may be shared per version)."""
    if opcodes is None:
        opcodes = line_opcodes(old_lines, new_lines)
    mapped = map_lines(opcodes, start, end)
    if len(mapped) == end - start + 1 and mapped == list(range(mapped[0], mapped[-1] + 1)):
        return Anchor(mapped[0], mapped[-1], moved=mapped[0] != start)
    found = find_excerpt(new_lines, excerpt, mapped[0] if mapped else start)
    if found is not None:
        last = found + len(excerpt.splitlines()) - 1
        return Anchor(found, last, moved=found != start)
    if mapped:
        # Part of the text survived: point at what is left rather than call it gone.
        return Anchor(min(mapped), max(mapped), moved=True)
    reworded = find_reworded(opcodes, old_lines, new_lines, start, end)
    if reworded is not None:
        return Anchor(reworded, reworded + (end - start), moved=True)
    if quote:
        # The block around a selected phrase was rewritten, but the phrase itself survived.
        line = find_quote(new_lines, quote, start)
        if line is not None:
            return Anchor(line, line, moved=True)
    return Anchor(None, None, outdated=True)


# A rewording keeps most of a line ("retry" -> "retries"); below this it is other text.
REWORDED_SIMILARITY = 0.8


def find_reworded(
    opcodes: list[Opcode], old_lines: list[str], new_lines: list[str], start: int, end: int
) -> int | None:
    """Where the commented lines went when the edit replaced them with a close rewording:
    the same number of lines, in the block that replaced them, each similar enough."""
    for tag, i1, i2, j1, j2 in opcodes:
        if tag != "replace" or not (i1 < start <= i2 and end <= i2):
            continue
        wanted = old_lines[start - 1 : end]
        for first in range(j1, j2 - len(wanted) + 1):
            candidate = new_lines[first : first + len(wanted)]
            if all(_similar(a, b) for a, b in zip(wanted, candidate, strict=True)):
                return first + 1
    return None


def _similar(a: str, b: str) -> bool:
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= REWORDED_SIMILARITY


WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of a text, lower-cased: Markdown's markup (`*`, `_`, `[]()`, `|`) falls away, so
    a phrase selected in the rendered page can be found in the source."""
    return [word.lower() for word in WORD.findall(text)]


def quote_in(text: str, quote: str) -> bool:
    """Whether the quote's words appear, in order and together, in the text."""
    wanted, have = words(quote), words(text)
    size = len(wanted)
    return bool(wanted) and any(have[i : i + size] == wanted for i in range(len(have) - size + 1))


def find_quote(lines: list[str], quote: str, near: int) -> int | None:
    """The 1-based line holding the quote's words, nearest to `near` (one line only: cheap)."""
    hits = [number for number, line in enumerate(lines, 1) if quote_in(line, quote)]
    return min(hits, key=lambda hit: abs(hit - near)) if hits else None


def excerpt_of(source: str, start: int, end: int) -> str:
    return "\n".join(source.splitlines()[start - 1 : end])
