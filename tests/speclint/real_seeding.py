"""Seeded defects for the real-template corpora, generated deterministically from each document.

Each seed is one copy of a real document with one defect a reviewer would want caught, and the
finding (rule, line) that catches it. Choices (which section, which table) come from a CRC of the
document's name, so every run seeds the same defects.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass

from speclint import Profile, parse_document
from speclint.document import Document, Heading
from speclint.filler import normalise_line
from speclint.structure import match_structure

__all__ = ["Seed", "seed_defects"]


@dataclass(frozen=True)
class Seed:
    kind: str
    text: str
    rule: str
    line: int


def _pick(name: str, kind: str, count: int) -> int:
    return zlib.crc32(f"{name}:{kind}".encode()) % count


def _required_top(doc: Document, profile: Profile) -> list[Heading]:
    """Matched required top-level sections, the first excepted (often the only h2 before TOC)."""
    structure = match_structure(doc, profile)
    headings = [m.heading for m in structure.matches if len(m.path) == 1 and m.spec.required]
    return sorted(headings, key=lambda heading: heading.line)[1:]


def _replace_lines(lines: list[str], start: int, end: int, new: list[str]) -> str:
    """Lines ``start..end`` (1-based, inclusive) replaced by ``new``."""
    return "\n".join([*lines[: start - 1], *new, *lines[end:]])


def _section_deleted(name: str, doc: Document, profile: Profile, template: Document) -> Seed | None:
    headings = _required_top(doc, profile)
    if not headings:
        return None
    heading = headings[_pick(name, "deleted", len(headings))]
    text = _replace_lines(list(doc.lines), heading.line, heading.end_line, [])
    return Seed("section deleted", text, "required-section", 1)


def _heading_renamed(name: str, doc: Document, profile: Profile, template: Document) -> Seed | None:
    headings = _required_top(doc, profile)
    if not headings:
        return None
    heading = headings[_pick(name, "renamed", len(headings))]
    renamed = "#" * heading.level + " Miscellaneous"
    text = _replace_lines(list(doc.lines), heading.line, heading.line, [renamed])
    return Seed("heading renamed", text, "required-section", 1)


def _filler_pasted(name: str, doc: Document, profile: Profile, template: Document) -> Seed | None:
    filler = [p.text for p in template.paragraphs if normalise_line(p.text) in profile.filler_lines]
    headings = _required_top(doc, profile)
    if not filler or not headings:
        return None
    pasted = filler[_pick(name, "filler", len(filler))].split("\n")[0]
    heading = headings[_pick(name, "filler-at", len(headings))]
    text = _replace_lines(
        list(doc.lines), heading.line, heading.line, [doc.lines[heading.line - 1], "", pasted, ""]
    )
    return Seed("template filler pasted back", text, "template-filler", heading.line + 2)


def _table_broken(name: str, doc: Document, profile: Profile, template: Document) -> Seed | None:
    lines = list(doc.lines)
    tables = [t for t in doc.tables if t.rows and lines[t.rows[0].line - 1].rstrip().endswith("|")]
    if tables:
        row = tables[_pick(name, "table", len(tables))].rows[0]
        broken = lines[row.line - 1].rstrip() + " stray cell |"
        return Seed(
            "table row broken",
            _replace_lines(lines, row.line, row.line, [broken]),
            "table-shape",
            row.line,
        )
    headings = _required_top(doc, profile)
    if not headings:
        return None
    heading = headings[_pick(name, "table-at", len(headings))]
    table = ["", "| Option | Verdict |", "|---|---|", "| A | kept | extra |", ""]
    text = _replace_lines(lines, heading.line, heading.line, [lines[heading.line - 1], *table])
    return Seed("table row broken", text, "table-shape", heading.line + 4)


def _fence_unclosed(name: str, doc: Document, profile: Profile, template: Document) -> Seed | None:
    lines = list(doc.lines)
    fenced = [block for block in doc.code_blocks if block.fenced]
    top_level = {b.line for b in doc.blocks if b.kind == "code" and not b.containers}
    last = fenced[-1] if fenced else None
    if last and not lines[last.end_line - 1].strip().startswith(("```", "~~~")):
        return None  # the document already ends inside an open fence: nothing left to seed
    if fenced and fenced[-1].line in top_level and fenced[-1].end_line > fenced[-1].line:
        block = fenced[-1]
        closer = lines[block.end_line - 1].rstrip()
        # One fence character short: the last block never closes and swallows the rest.
        text = _replace_lines(lines, block.end_line, block.end_line, [closer[:-1]])
        return Seed("fence unclosed", text, "fence-unclosed", block.line)
    headings = _required_top(doc, profile)
    candidates = [h.line for h in headings[-1:]] + [b.end_line for b in fenced[-1:]]
    if not candidates:
        return None
    after = max(candidates)
    opened = ["", "```text", "example"]
    text = _replace_lines(lines, after, after, [lines[after - 1], *opened])
    return Seed("fence unclosed", text, "fence-unclosed", after + 2)


_SEEDERS: tuple[Callable[[str, Document, Profile, Document], Seed | None], ...] = (
    _section_deleted,
    _heading_renamed,
    _filler_pasted,
    _table_broken,
    _fence_unclosed,
)


def seed_defects(name: str, text: str, profile: Profile, template_text: str) -> list[Seed]:
    doc, template = parse_document(text), parse_document(template_text)
    seeds = [seeder(name, doc, profile, template) for seeder in _SEEDERS]
    return [seed for seed in seeds if seed is not None]
