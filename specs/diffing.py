"""What changed between two versions of a spec: rows, hunks and a per-section summary.

Pure: two strings in, a frozen `TextDiff` out. Lines are matched patience-style (lines that
occur once on each side anchor the match, the gaps between anchors are solved the same way,
and only small anchorless gaps fall back to difflib), because difflib's SequenceMatcher
over whole files goes quadratic on long specs full of repeated lines such as ``|---|``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Kind = Literal["equal", "insert", "delete", "replace"]
Opcode = tuple[Kind, int, int, int, int]

# Anchorless gaps up to this many line pairs go to difflib; larger ones show as replaced.
_SMALL_GAP = 250_000
# Word diffs on pairs of lines with more tokens than this show the whole line as changed.
_MAX_WORD_PAIRS = 40_000
_WORD = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    changed: bool


@dataclass(frozen=True, slots=True)
class Row:
    """One side-by-side row; a missing side has no line number and no segments."""

    kind: Kind
    old_line: int | None
    new_line: int | None
    old: tuple[Segment, ...]
    new: tuple[Segment, ...]

    @property
    def old_text(self) -> str:
        return "".join(segment.text for segment in self.old)

    @property
    def new_text(self) -> str:
        return "".join(segment.text for segment in self.new)


@dataclass(frozen=True, slots=True)
class UnifiedLine:
    op: Literal[" ", "-", "+"]
    text: str


@dataclass(frozen=True, slots=True)
class Hunk:
    old_start: int
    old_count: int
    new_start: int
    new_count: int
    section: str  # title of the section the hunk starts in, like git's hunk header
    rows: tuple[Row, ...]
    lines: tuple[UnifiedLine, ...]

    @property
    def header(self) -> str:
        old = _unified_range(self.old_start, self.old_count)
        new = _unified_range(self.new_start, self.new_count)
        return f"@@ -{old} +{new} @@" + (f" {self.section}" if self.section else "")


@dataclass(frozen=True, slots=True)
class SectionChange:
    kind: Literal["added", "removed", "changed"]
    number: str | None  # from the heading's own numbering: "## 5) Scope" -> "5"
    title: str
    old_title: str | None = None  # set when the heading itself was reworded
    rows_added: int = 0
    rows_removed: int = 0
    rows_changed: int = 0
    lines_changed: int = 0
    only_table_rows: bool = False

    @property
    def label(self) -> str:
        return f"§{self.number} {self.title}" if self.number else self.title

    @property
    def summary(self) -> str:
        if self.kind == "added":
            return f"New section: {self.label}"
        if self.kind == "removed":
            return f"{self.label}: removed"
        if self.only_table_rows:
            counts = (
                (self.rows_added, "added"),
                (self.rows_removed, "removed"),
                (self.rows_changed, "changed"),
            )
            detail = ", ".join(f"{_rows(n)} {verb}" for n, verb in counts if n)
        else:
            detail = f"changed ({self.lines_changed} line{'s' if self.lines_changed != 1 else ''})"
        renamed = f" (was {self.old_title})" if self.old_title else ""
        return f"{self.label}{renamed}: {detail}"


@dataclass(frozen=True, slots=True)
class TextDiff:
    hunks: tuple[Hunk, ...]
    sections: tuple[SectionChange, ...]
    lines_added: int
    lines_removed: int

    @property
    def identical(self) -> bool:
        return not self.hunks

    @property
    def rows(self) -> tuple[Row, ...]:
        """Side-by-side rows of every hunk, context included, in order."""
        return tuple(row for hunk in self.hunks for row in hunk.rows)

    def unified(self, old_name: str = "old", new_name: str = "new") -> str:
        out = [f"--- {old_name}\n", f"+++ {new_name}\n"]
        for hunk in self.hunks:
            out.append(hunk.header + "\n")
            out.extend(f"{line.op}{line.text}\n" for line in hunk.lines)
        return "".join(out) if self.hunks else ""


def diff_texts(old: str, new: str, *, context: int = 3) -> TextDiff:
    if old == new:
        return TextDiff(hunks=(), sections=(), lines_added=0, lines_removed=0)
    a, b = old.splitlines(), new.splitlines()
    opcodes = line_opcodes(a, b)
    old_outline, new_outline = _outlines(a, b)
    hunks = tuple(
        _hunk(group, a, b, new_outline) for group in _grouped(opcodes, context, len(a), len(b))
    )
    return TextDiff(
        hunks=hunks,
        sections=_section_changes(opcodes, a, b, old_outline, new_outline),
        lines_added=sum(j2 - j1 for tag, _, _, j1, j2 in opcodes if tag != "equal"),
        lines_removed=sum(i2 - i1 for tag, i1, i2, _, _ in opcodes if tag != "equal"),
    )


# Line matching ----------------------------------------------------------------------------


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


def _grouped(opcodes: list[Opcode], context: int, len_a: int, len_b: int) -> list[list[Opcode]]:
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


def _hunk(group: list[Opcode], a: list[str], b: list[str], outline: _Outline) -> Hunk:
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


def _unified_range(start: int, count: int) -> str:
    if count == 1:
        return str(start)
    return f"{start - 1 if count == 0 else start},{count}"


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


# Sections ---------------------------------------------------------------------------------

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_NUMBERED = re.compile(r"§?\s*(\d+(?:\.\d+)*[a-z]?)([).:])?\s+(.+)", re.IGNORECASE)
_TABLE_SEPARATOR = re.compile(r"\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*")
_PREAMBLE = "\0preamble"


@dataclass(frozen=True, slots=True)
class _Heading:
    line: int  # 0-based
    level: int
    number: str | None
    title: str


@dataclass(slots=True)
class _Outline:
    sections: list[_Heading]  # sections[0] is whatever precedes the first section heading
    keys: list[str]
    owner: list[int]  # line index -> index into sections
    headings: list[_Heading]  # every heading, for hunk headers

    def title_at(self, line: int) -> str:
        position = bisect_left(self.headings, line + 1, key=lambda heading: heading.line) - 1
        return self.headings[position].title if position >= 0 else ""


@dataclass(slots=True)
class _Tally:
    rows_added: int = 0
    rows_removed: int = 0
    rows_changed: int = 0
    other_lines: int = 0
    lines_changed: int = 0


def _outlines(a: list[str], b: list[str]) -> tuple[_Outline, _Outline]:
    old_headings, new_headings = _headings(a), _headings(b)
    levels = Counter(h.level for h in old_headings) | Counter(h.level for h in new_headings)
    # The section level is the highest rank used more than once: a lone "# Title" is not one.
    repeated = [level for level, count in levels.items() if count > 1]
    level = min(repeated or levels or [0])
    return _outline(a, old_headings, level), _outline(b, new_headings, level)


def _headings(lines: list[str]) -> list[_Heading]:
    headings: list[_Heading] = []
    fence = ""
    start = _front_matter_end(lines)
    for index in range(start, len(lines)):
        line = lines[index]
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        match = _ATX.fullmatch(line)
        if match:
            number, title = _split_number(_plain(match.group(2) or ""))
            headings.append(_Heading(index, len(match.group(1)), number, title))
    return headings


def _front_matter_end(lines: list[str]) -> int:
    if not lines or lines[0].rstrip() != "---":
        return 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return index + 1
    return 0


def _plain(title: str) -> str:
    title = re.sub(r"\*{1,3}|`", "", title)
    return re.sub(r"(?<!\w)_{1,3}|_{1,3}(?!\w)", "", title).strip()


def _split_number(title: str) -> tuple[str | None, str]:
    """("5", "Scope Decision Log") from "5) Scope Decision Log (required)"."""
    match = _NUMBERED.fullmatch(title)
    number = None
    if match and (match.group(2) or "." in match.group(1)):
        number, title = match.group(1), match.group(3)
    shorter = re.sub(r"\s*\([^()]*\)$", "", title)
    return number, shorter or title


def _outline(lines: list[str], headings: list[_Heading], level: int) -> _Outline:
    # A higher-rank heading before the first section is the document's title, not a section.
    first = next((h.line for h in headings if h.level == level), len(lines))
    section_headings = [h for h in headings if h.level <= level and h.line >= first]
    lead = next((h.title for h in headings if h.line < first), "Preamble")
    sections = [_Heading(0, 0, None, lead), *section_headings]
    keys, seen = [_PREAMBLE], Counter[str]()
    for heading in section_headings:
        key = " ".join(heading.title.lower().split())
        seen[key] += 1
        keys.append(f"{key}\0{seen[key]}")
    owner, current = [], 0
    starts = {h.line: position for position, h in enumerate(sections) if position}
    for index in range(len(lines)):
        current = starts.get(index, current)
        owner.append(current)
    return _Outline(sections, keys, owner, headings)


def _section_changes(
    opcodes: list[Opcode], a: list[str], b: list[str], old: _Outline, new: _Outline
) -> tuple[SectionChange, ...]:
    new_index = {key: position for position, key in enumerate(new.keys)}
    pairs = {p: new_index[key] for p, key in enumerate(old.keys) if key in new_index}
    _pair_by_number(old, new, pairs)
    tallies: dict[tuple[str, int], _Tally] = {}
    for tag, i1, i2, j1, j2 in opcodes:
        if tag != "equal":
            _tally(tallies, tag, a, range(i1, i2), b, range(j1, j2), old, new, pairs)
    ordered: list[tuple[tuple[int, int, int], SectionChange]] = []
    matched = set(pairs.values())
    for position, heading in enumerate(new.sections):
        if position not in matched:
            ordered.append(
                ((position, 0, 0), SectionChange("added", heading.number, heading.title))
            )
        elif _visible(tallies.get(("new", position))):
            old_title = next(old.sections[p].title for p, q in pairs.items() if q == position)
            ordered.append(
                ((position, 0, 0), _changed(heading, old_title, tallies[("new", position)]))
            )
    anchor = -1
    for position, heading in enumerate(old.sections):
        if position in pairs:
            anchor = pairs[position]
        else:
            change = SectionChange("removed", heading.number, heading.title)
            ordered.append(((anchor, 1, position), change))
    return tuple(change for _, change in sorted(ordered, key=lambda item: item[0]))


def _pair_by_number(old: _Outline, new: _Outline, pairs: dict[int, int]) -> None:
    """Sections whose title changed but whose number did not are the same section, renamed."""
    taken = set(pairs.values())
    by_number = {h.number: p for p, h in enumerate(new.sections) if h.number and p not in taken}
    for position, heading in enumerate(old.sections):
        if position not in pairs and heading.number in by_number:
            pairs[position] = by_number.pop(heading.number)


def _tally(
    tallies: dict[tuple[str, int], _Tally],
    tag: Kind,
    a: list[str],
    old_lines: range,
    b: list[str],
    new_lines: range,
    old: _Outline,
    new: _Outline,
    pairs: dict[int, int],
) -> None:
    removed: dict[tuple[str, int], list[str]] = {}
    added: dict[tuple[str, int], list[str]] = {}
    for i in old_lines:
        section = old.owner[i]
        key = ("new", pairs[section]) if section in pairs else ("old", section)
        removed.setdefault(key, []).append(a[i])
    for j in new_lines:
        added.setdefault(("new", new.owner[j]), []).append(b[j])
    for key in removed.keys() | added.keys():
        gone, came = removed.get(key, []), added.get(key, [])
        tally = tallies.setdefault(key, _Tally())
        rows_gone, rows_came = _count_rows(gone), _count_rows(came)
        edited = min(rows_gone, rows_came) if tag == "replace" else 0
        tally.rows_changed += edited
        tally.rows_removed += rows_gone - edited
        tally.rows_added += rows_came - edited
        tally.other_lines += _count_text(gone) + _count_text(came) - rows_gone - rows_came
        tally.lines_changed += max(_count_text(gone), _count_text(came))


def _visible(tally: _Tally | None) -> bool:
    """Whether a section changed beyond blank lines, which no reader would call a change."""
    if tally is None:
        return False
    return bool(tally.other_lines or tally.rows_added or tally.rows_removed or tally.rows_changed)


def _count_text(lines: list[str]) -> int:
    return sum(1 for line in lines if line.strip())


def _count_rows(lines: list[str]) -> int:
    return sum(
        1
        for line in lines
        if line.lstrip().startswith("|") and not _TABLE_SEPARATOR.fullmatch(line)
    )


def _changed(heading: _Heading, old_title: str, tally: _Tally) -> SectionChange:
    return SectionChange(
        "changed",
        heading.number,
        heading.title,
        old_title=old_title if old_title != heading.title else None,
        rows_added=tally.rows_added,
        rows_removed=tally.rows_removed,
        rows_changed=tally.rows_changed,
        lines_changed=tally.lines_changed,
        only_table_rows=tally.other_lines == 0
        and tally.rows_added + tally.rows_removed + tally.rows_changed > 0,
    )
