"""A corpus of realistic edit sequences for measuring how comments follow their text.

Built deterministically (fixed seed) from the demo specs in `demo/specs/`, which are real-sized
tech specs written independently of the anchoring code. Each case is one anchored comment on one
version, one edit of a kind reviewers see every day, and the truth: where the commented text
is in the edited version, or None when the edit removed it. `bench/reanchor_bench.py` prints
the shares; `tests/reviews/test_reanchoring.py` holds the line.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "demo" / "specs"
SEED = 20261202
KINDS = (
    "insert_above",
    "reword_anchor",
    "edit_elsewhere",
    "move_section",
    "delete_section",
    "table_edit",
    "delete_anchor",
    "rewrite_anchor",
    "copy_above_and_reword",
)
_H2 = re.compile(r"^## ")


@dataclass(frozen=True)
class Case:
    kind: str
    spec: str
    old: str
    new: str
    start: int  # 1-based, inclusive, in `old`
    end: int
    expected: tuple[int, int] | None  # where the commented text is in `new`; None: removed


def corpus() -> list[Case]:
    rng = random.Random(SEED)
    cases: list[Case] = []
    for path in sorted(DEMO.glob("*/v*.md")):
        lines = path.read_text().split("\n")
        for kind in KINDS:
            for _ in range(4):
                case = _make(kind, path.parent.name, lines, rng)
                if case is not None:
                    cases.append(case)
    return cases


def _sections(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) 0-based half-open ranges of level-2 sections."""
    starts = [i for i, line in enumerate(lines) if _H2.match(line)]
    return [(s, starts[k + 1] if k + 1 < len(starts) else len(lines)) for k, s in enumerate(starts)]


def _anchor_line(lines: list[str], rng: random.Random, lo: int = 0, hi: int | None = None) -> int:
    """A 0-based line a reviewer would comment on: prose or a list item, unique in the file."""
    hi = len(lines) if hi is None else hi
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    candidates = [
        i
        for i in range(lo, hi)
        if len(lines[i].strip()) > 30 and counts[lines[i]] == 1 and not lines[i].startswith("#")
    ]
    return rng.choice(candidates) if candidates else -1


def _make(kind: str, spec: str, lines: list[str], rng: random.Random) -> Case | None:
    return _BUILDERS[kind](spec, lines, rng)


def _case(kind, spec, old, new, line, expected) -> Case:
    return Case(kind, spec, "\n".join(old), "\n".join(new), line + 1, line + 1, expected)


def _insert_above(spec, lines, rng):
    line = _anchor_line(lines, rng)
    if line < 1:
        return None
    at = rng.randrange(0, line)
    added = ["", f"Added in review round {rng.randrange(100)}: a clarifying paragraph.", ""]
    new = [*lines[:at], *added, *lines[at:]]
    return _case("insert_above", spec, lines, new, line, (line + 4, line + 4))


def _reword_anchor(spec, lines, rng):
    line = _anchor_line(lines, rng)
    if line < 0:
        return None
    words = lines[line].split(" ")
    k = rng.randrange(len(words))
    words[k] = words[k] + "s" if not words[k].endswith("s") else words[k][:-1]
    new = [*lines]
    new[line] = " ".join(words)
    return _case("reword_anchor", spec, lines, new, line, (line + 1, line + 1))


def _edit_elsewhere(spec, lines, rng):
    line = _anchor_line(lines, rng)
    other = _anchor_line(lines, rng)
    if line < 0 or other < 0 or abs(other - line) < 3:
        return None
    new = [*lines]
    new[other] = new[other] + " (clarified)"
    return _case("edit_elsewhere", spec, lines, new, line, (line + 1, line + 1))


def _move_section(spec, lines, rng):
    sections = _sections(lines)
    if len(sections) < 4:
        return None
    s, e = sections[rng.randrange(1, len(sections) - 1)]
    line = _anchor_line(lines, rng, s + 1, e)
    if line < 0:
        return None
    block, rest = lines[s:e], lines[:s] + lines[e:]
    targets = [t for t, _ in _sections(rest) if t != s]
    to = rng.choice(targets)
    new = rest[:to] + block + rest[to:]
    where = to + (line - s)
    return _case("move_section", spec, lines, new, line, (where + 1, where + 1))


def _delete_section(spec, lines, rng):
    sections = _sections(lines)
    if len(sections) < 3:
        return None
    s, e = sections[rng.randrange(1, len(sections))]
    line = _anchor_line(lines, rng, s + 1, e)
    if line < 0:
        return None
    return _case("delete_section", spec, lines, lines[:s] + lines[e:], line, None)


def _table_edit(spec, lines, rng):
    rows = [
        i
        for i, line in enumerate(lines)
        if line.startswith("|") and "---" not in line and lines.count(line) == 1
    ]
    if len(rows) < 3:
        return None
    line = rng.choice(rows)
    others = [r for r in rows if r != line]
    other = rng.choice(others)
    new = [*lines]
    if rng.random() < 0.5:
        new[other] = new[other].replace("|", "| edited", 1) if "|" in new[other] else new[other]
        expected = (line + 1, line + 1)
    else:
        new.insert(other, new[other].replace("|", "| new row", 1))
        shift = 1 if other <= line else 0
        expected = (line + 1 + shift, line + 1 + shift)
    return _case("table_edit", spec, lines, new, line, expected)


def _delete_anchor(spec, lines, rng):
    line = _anchor_line(lines, rng)
    if line < 0:
        return None
    return _case("delete_anchor", spec, lines, lines[:line] + lines[line + 1 :], line, None)


def _rewrite_anchor(spec, lines, rng):
    """The commented sentence is replaced by a different one: what it said is gone."""
    line = _anchor_line(lines, rng)
    if line < 0:
        return None
    new = [*lines]
    new[line] = f"Rewritten after review: option {rng.randrange(1000)} was chosen instead."
    return _case("rewrite_anchor", spec, lines, new, line, None)


def _copy_above_and_reword(spec, lines, rng):
    """The commented line is quoted earlier in the document and reworded where it was: the
    comment belongs with the reworded original, not with the verbatim copy."""
    line = _anchor_line(lines, rng)
    if line < 2:
        return None
    at = rng.randrange(0, line - 1)
    new = [*lines]
    words = new[line].split(" ")
    k = rng.randrange(len(words))
    words[k] = words[k].upper() if words[k] != words[k].upper() else words[k].lower()
    new[line] = " ".join(words)
    new = [*new[:at], "", "> " + lines[line], "", *new[at:]]
    return _case("copy_above_and_reword", spec, lines, new, line, (line + 4, line + 4))


_BUILDERS = {
    "insert_above": _insert_above,
    "reword_anchor": _reword_anchor,
    "edit_elsewhere": _edit_elsewhere,
    "move_section": _move_section,
    "delete_section": _delete_section,
    "table_edit": _table_edit,
    "delete_anchor": _delete_anchor,
    "rewrite_anchor": _rewrite_anchor,
    "copy_above_and_reword": _copy_above_and_reword,
}


@dataclass(frozen=True)
class Score:
    placed_right: int = 0
    detached_right: int = 0
    placed_wrong: int = 0
    missed: int = 0  # detached although the text is still there (shown as outdated, not lost)

    @property
    def total(self) -> int:
        return self.placed_right + self.detached_right + self.placed_wrong + self.missed


def score(cases: list[Case]) -> dict[str, Score]:
    from reviews.comments.anchors import excerpt_of, reanchor

    tallies: dict[str, dict[str, int]] = {}
    for case in cases:
        old, new = case.old.split("\n"), case.new.split("\n")
        anchor = reanchor(
            old, new, case.start, case.end, excerpt_of(case.old, case.start, case.end)
        )
        placed = None if anchor.outdated else (anchor.line_start, anchor.line_end)
        outcome = (
            ("placed_right" if placed == case.expected else "placed_wrong")
            if placed is not None
            else ("detached_right" if case.expected is None else "missed")
        )
        if placed is not None and case.expected is None:
            outcome = "placed_wrong"
        for key in (case.kind, "all"):
            tallies.setdefault(key, {}).setdefault(outcome, 0)
            tallies[key][outcome] += 1
    return {kind: Score(**counts) for kind, counts in tallies.items()}
