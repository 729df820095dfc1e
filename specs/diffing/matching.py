"""Matching lines patience-style, and words within a changed line."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from difflib import SequenceMatcher

from .values import Kind, Opcode, Segment

# Anchorless gaps up to this many line pairs go to difflib; larger ones show as replaced.
_SMALL_GAP = 250_000
# Word diffs on pairs of lines with more tokens than this show the whole line as changed.
_MAX_WORD_PAIRS = 40_000
_WORD = re.compile(r"\s+|\w+|[^\w\s]")


def line_opcodes(a: list[str], b: list[str]) -> list[Opcode]:
    """difflib-style opcodes for two lists of lines, in O(n log n) for typical edits."""
    ids: dict[str, int] = {}
    xs = [ids.setdefault(line, len(ids)) for line in a]
    ys = [ids.setdefault(line, len(ids)) for line in b]
    matches = _matches(xs, ys)
    matches.sort()
    opcodes: list[Opcode] = []
    i = j = 0
    for mi, mj in [*matches, (len(a), len(b))]:
        if i < mi or j < mj:
            tag: Kind = "replace" if i < mi and j < mj else ("delete" if i < mi else "insert")
            opcodes.append((tag, i, mi, j, mj))
        if mi < len(a):
            if opcodes and opcodes[-1][0] == "equal":
                _, ei1, _, ej1, _ = opcodes.pop()
                opcodes.append(("equal", ei1, mi + 1, ej1, mj + 1))
            else:
                opcodes.append(("equal", mi, mi + 1, mj, mj + 1))
        i, j = mi + 1, mj + 1
    return opcodes


def _matches(xs: list[int], ys: list[int]) -> list[tuple[int, int]]:
    matches: list[tuple[int, int]] = []
    gaps = [(0, len(xs), 0, len(ys))]
    while gaps:
        alo, ahi, blo, bhi = gaps.pop()
        while alo < ahi and blo < bhi and xs[alo] == ys[blo]:
            matches.append((alo, blo))
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and xs[ahi - 1] == ys[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
            matches.append((ahi, bhi))
        if alo == ahi or blo == bhi:
            continue
        anchors = _unique_lcs(xs, ys, alo, ahi, blo, bhi)
        if anchors:
            previous_i, previous_j = alo, blo
            for i, j in anchors:
                matches.append((i, j))
                gaps.append((previous_i, i, previous_j, j))
                previous_i, previous_j = i + 1, j + 1
            gaps.append((previous_i, ahi, previous_j, bhi))
        elif (ahi - alo) * (bhi - blo) <= _SMALL_GAP:
            matcher = SequenceMatcher(None, xs[alo:ahi], ys[blo:bhi], autojunk=False)
            for block in matcher.get_matching_blocks():
                matches.extend((alo + block.a + k, blo + block.b + k) for k in range(block.size))
    return matches


def _unique_lcs(
    xs: list[int], ys: list[int], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """The longest run of lines unique on both sides that appear in the same order."""
    count_a = Counter(xs[alo:ahi])
    count_b = Counter(ys[blo:bhi])
    position_b = {ys[j]: j for j in range(blo, bhi) if count_b[ys[j]] == 1}
    pairs = [
        (i, position_b[xs[i]])
        for i in range(alo, ahi)
        if count_a[xs[i]] == 1 and xs[i] in position_b
    ]
    # Patience sorting: longest increasing subsequence of the j's, in O(k log k).
    tails: list[int] = []
    tail_index: list[int] = []
    back: list[int] = []
    for index, (_, j) in enumerate(pairs):
        pile = bisect_left(tails, j)
        back.append(tail_index[pile - 1] if pile else -1)
        if pile == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[pile], tail_index[pile] = j, index
    result: list[tuple[int, int]] = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        result.append(pairs[index])
        index = back[index]
    return result[::-1]


# Rows, hunks, words -----------------------------------------------------------------------


def word_segments(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """The two lines cut into runs of unchanged and changed words."""
    xs, ys = _WORD.findall(old), _WORD.findall(new)
    if len(xs) * len(ys) > _MAX_WORD_PAIRS:
        return (Segment(old, True),), (Segment(new, True),)
    matcher = SequenceMatcher(None, xs, ys, autojunk=False)
    old_parts: list[Segment] = []
    new_parts: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        _append(old_parts, "".join(xs[i1:i2]), tag != "equal")
        _append(new_parts, "".join(ys[j1:j2]), tag != "equal")
    return tuple(old_parts), tuple(new_parts)


def _append(parts: list[Segment], text: str, changed: bool) -> None:
    if not text:
        return
    if parts and parts[-1].changed == changed:
        parts[-1] = Segment(parts[-1].text + text, changed)
    else:
        parts.append(Segment(text, changed))
