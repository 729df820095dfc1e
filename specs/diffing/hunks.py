"""Grouping changed lines into hunks with context, as side-by-side rows and unified lines."""

from __future__ import annotations

from .matching import word_segments
from .sections import Outline
from .values import Hunk, Opcode, Row, Segment, UnifiedLine


def group_opcodes(
    opcodes: list[Opcode], context: int, len_a: int, len_b: int
) -> list[list[Opcode]]:
    """Opcodes split into hunks with `context` equal lines around changes (as difflib does)."""
    if not any(tag != "equal" for tag, *_ in opcodes):
        return []
    codes = list(opcodes)
    tag, i1, i2, j1, j2 = codes[0]
    if tag == "equal":
        codes[0] = (tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2)
    tag, i1, i2, j1, j2 = codes[-1]
    if tag == "equal":
        codes[-1] = (tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context))
    groups: list[list[Opcode]] = []
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * context:
            group.append((tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)))
            groups.append(group)
            group = []
            i1, j1 = max(i1, i2 - context), max(j1, j2 - context)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        groups.append(group)
    return groups


def build_hunk(group: list[Opcode], a: list[str], b: list[str], outline: Outline) -> Hunk:
    rows: list[Row] = []
    lines: list[UnifiedLine] = []
    for tag, i1, i2, j1, j2 in group:
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                text = (Segment(a[i], False),)
                rows.append(Row("equal", i + 1, j + 1, text, text))
                lines.append(UnifiedLine(" ", a[i]))
            continue
        lines.extend(UnifiedLine("-", a[i]) for i in range(i1, i2))
        lines.extend(UnifiedLine("+", b[j]) for j in range(j1, j2))
        paired = min(i2 - i1, j2 - j1)
        for k in range(paired):
            old, new = word_segments(a[i1 + k], b[j1 + k])
            rows.append(Row("replace", i1 + k + 1, j1 + k + 1, old, new))
        rows.extend(
            Row("delete", i + 1, None, (Segment(a[i], True),), ()) for i in range(i1 + paired, i2)
        )
        rows.extend(
            Row("insert", None, j + 1, (), (Segment(b[j], True),)) for j in range(j1 + paired, j2)
        )
    first, last = group[0], group[-1]
    return Hunk(
        old_start=first[1] + 1,
        old_count=last[2] - first[1],
        new_start=first[3] + 1,
        new_count=last[4] - first[3],
        section=outline.title_at(first[3]),
        rows=tuple(rows),
        lines=tuple(lines),
    )
