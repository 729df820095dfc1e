"""What changed between two versions of a spec: rows, hunks and a per-section summary.

Pure: two strings in, a frozen `TextDiff` out. Lines are matched patience-style (lines that
occur once on each side anchor the match, the gaps between anchors are solved the same way,
and only small anchorless gaps fall back to difflib), because difflib's SequenceMatcher
over whole files goes quadratic on long specs full of repeated lines such as ``|---|``.
"""

from .hunks import build_hunk, group_opcodes
from .matching import line_opcodes, word_segments
from .sections import outlines_of, section_changes
from .values import Hunk, Kind, Opcode, Row, SectionChange, Segment, TextDiff, UnifiedLine

__all__ = [
    "Hunk",
    "Kind",
    "Opcode",
    "Row",
    "SectionChange",
    "Segment",
    "TextDiff",
    "UnifiedLine",
    "diff_texts",
    "line_opcodes",
    "word_segments",
]


def diff_texts(old: str, new: str, *, context: int = 3) -> TextDiff:
    if old == new:
        return TextDiff(hunks=(), sections=(), lines_added=0, lines_removed=0)
    a, b = old.splitlines(), new.splitlines()
    opcodes = line_opcodes(a, b)
    old_outline, new_outline = outlines_of(a, b)
    hunks = tuple(
        build_hunk(group, a, b, new_outline)
        for group in group_opcodes(opcodes, context, len(a), len(b))
    )
    return TextDiff(
        hunks=hunks,
        sections=section_changes(opcodes, a, b, old_outline, new_outline),
        lines_added=sum(j2 - j1 for tag, _, _, j1, j2 in opcodes if tag != "equal"),
        lines_removed=sum(i2 - i1 for tag, i1, i2, _, _ in opcodes if tag != "equal"),
    )
