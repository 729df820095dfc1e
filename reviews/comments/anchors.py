"""Where a comment written on an older version sits in the version being read.

Pure: source texts and line numbers in, a frozen `Anchor` out. The diff's equal runs carry lines
that did not change; text that moved shows up as a delete plus an insert, so when the diff loses
the lines we look for the quoted excerpt itself. Only when neither finds it is the comment
outdated, and even then it is shown, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    return Anchor(None, None, outdated=True)


def excerpt_of(source: str, start: int, end: int) -> str:
    return "\n".join(source.splitlines()[start - 1 : end])
