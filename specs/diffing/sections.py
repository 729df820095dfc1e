"""Which sections of the spec changed, from the headings of both versions."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

from .values import Kind, Opcode, SectionChange

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
class Outline:
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


def outlines_of(a: list[str], b: list[str]) -> tuple[Outline, Outline]:
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


def _outline(lines: list[str], headings: list[_Heading], level: int) -> Outline:
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
    return Outline(sections, keys, owner, headings)


def section_changes(
    opcodes: list[Opcode], a: list[str], b: list[str], old: Outline, new: Outline
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


def _pair_by_number(old: Outline, new: Outline, pairs: dict[int, int]) -> None:
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
    old: Outline,
    new: Outline,
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
