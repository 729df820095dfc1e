"""The values a diff produces: side-by-side rows, unified hunks and section changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["equal", "insert", "delete", "replace"]
Opcode = tuple[Kind, int, int, int, int]


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


def _unified_range(start: int, count: int) -> str:
    if count == 1:
        return str(start)
    return f"{start - 1 if count == 0 else start},{count}"


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


# Sections ---------------------------------------------------------------------------------
