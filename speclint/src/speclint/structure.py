"""Match a document's headings to a profile's section tree; content units for emptiness checks."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .answers import (
    answered_in_text,
    headings_sharing_words,
    merged_heading,
    similar_heading,
)
from .document import Block, Document, Heading
from .fields import document_fields
from .model import Profile, SectionSpec
from .text import na_reason_words, template_key

__all__ = [
    "Missing",
    "SectionMatch",
    "Structure",
    "body_blocks",
    "content_texts",
    "heading_path",
    "match_structure",
    "template_guidance",
    "top_level_headings",
]

SectionPath = tuple[str, ...]


@dataclass(frozen=True)
class SectionMatch:
    spec: SectionSpec
    path: SectionPath
    heading: Heading
    na_words: int | None

    @property
    def waived(self) -> bool:
        """An RNIA section answered with ``N/A``: what it would contain is not required."""
        return self.spec.allow_na and self.na_words is not None


@dataclass(frozen=True)
class Missing:
    spec: SectionSpec
    path: SectionPath
    parent: Heading | None


@dataclass(frozen=True)
class Structure:
    matches: tuple[SectionMatch, ...]
    missing: tuple[Missing, ...]
    out_of_order: tuple[Heading, ...]

    def instances(self, path: SectionPath) -> list[SectionMatch]:
        return [match for match in self.matches if match.path == path]


def heading_path(doc: Document, heading: Heading) -> SectionPath:
    """Template keys from the top-level section down to ``heading`` (the title excluded)."""
    keys: list[str] = []
    current: Heading | None = heading
    while current is not None and current is not doc.title:
        keys.append(template_key(current.text))
        current = doc.headings[current.parent] if current.parent is not None else None
    return tuple(reversed(keys))


def _between(items: Sequence[Block], starts: list[int], start: int, end: int) -> Sequence[Block]:
    return items[bisect.bisect_left(starts, start) : bisect.bisect_right(starts, end)]


def body_blocks(doc: Document, start: int, end: int) -> Sequence[Block]:
    starts = _block_starts(doc)
    return _between(doc.blocks, starts, start, end)


def _block_starts(doc: Document) -> list[int]:
    cached = doc.__dict__.get("_block_starts")
    if cached is None:
        cached = [block.line for block in doc.blocks]
        doc.__dict__["_block_starts"] = cached
    return cached


def normalise_unit(text: str) -> str:
    return " ".join(text.split()).lower()


def content_texts(
    doc: Document, start: int, end: int, *, skip_checkboxes: bool = False
) -> list[str]:
    """What a reader sees between two lines, one string per paragraph, table row, code block or
    HTML block. HTML comments, headings and thematic breaks are not content."""
    checkbox_lines = (
        {item.line for item in doc.list_items if item.checked is not None}
        if skip_checkboxes
        else set()
    )
    texts: list[str] = []
    for block in body_blocks(doc, start, end):
        if block.kind == "paragraph" and block.line in checkbox_lines:
            continue
        if block.kind in ("paragraph", "html"):
            texts.append(block.text)
        elif block.kind == "code":
            code = doc.code_at(block.line)
            texts.append(code.content if code else "")
        elif block.kind == "table":
            table = doc.table_at(block.line)
            if table is not None:
                texts.append(" | ".join(table.column_names))
                texts.extend(" | ".join(cell.text for cell in row.cells) for row in table.rows)
    return [text for text in texts if text.strip()]


def template_guidance(doc: Document, start: int, end: int) -> frozenset[str]:
    """A template section's text; a checklist is not guidance, since filled specs keep it."""
    return frozenset(
        normalise_unit(text) for text in content_texts(doc, start, end, skip_checkboxes=True)
    )


def first_paragraph(doc: Document, heading: Heading) -> Block | None:
    for block in body_blocks(doc, heading.line + 1, doc.body_end(heading)):
        if block.kind == "comment":
            continue
        return block if block.kind == "paragraph" else None
    return None


def top_level_headings(doc: Document) -> list[Heading]:
    """The document's sections: children of the title, plus any other root-level heading."""
    title = doc.title
    roots = [heading for heading in doc.headings if heading.parent is None and heading is not title]
    if title is None:
        return roots
    return sorted([*doc.children(title.index), *roots], key=lambda heading: heading.line)


def _in_force(spec: SectionSpec, fields: dict[str, str]) -> SectionSpec:
    """A conditional section is required only while its condition holds in this document."""
    if spec.condition is None or not spec.required or spec.condition.holds(fields):
        return spec
    return replace(spec, required=False)


def _answered_elsewhere(doc: Document, spec: SectionSpec, parent: Heading | None) -> bool:
    start, end = (parent.line, parent.end_line) if parent else (1, doc.line_count)
    return not spec.repeatable and answered_in_text(doc, spec.title, start, end)


def match_structure(doc: Document, profile: Profile) -> Structure:
    matches: list[SectionMatch] = []
    missing: list[Missing] = []
    out_of_order: list[Heading] = []
    fields = document_fields(doc) if _has_conditions(profile.sections) else {}
    pending: list[tuple[tuple[SectionSpec, ...], list[Heading], Heading | None, SectionPath]] = [
        (profile.sections, top_level_headings(doc), None, ())
    ]
    while pending:
        specs, candidates, parent, path = pending.pop()
        specs = tuple(_in_force(spec, fields) for spec in specs)
        level = _match_level(doc, specs, candidates, parent)
        unmatched = [spec.title for i, spec in enumerate(specs) if i not in level]
        used = {heading.index for found in level.values() for heading in found}
        ordered: list[tuple[int, Heading]] = []
        for position, spec in enumerate(specs):
            found = level.get(position, [])
            if not found:
                if (
                    spec.required
                    and not _answered_elsewhere(doc, spec, parent)
                    and merged_heading(spec.title, unmatched, candidates, used) is None
                ):
                    missing.append(Missing(spec, (*path, spec.key), parent))
                continue
            for heading in found:
                paragraph = first_paragraph(doc, heading)
                na_words = na_reason_words(paragraph.text) if paragraph else None
                match = SectionMatch(spec, (*path, spec.key), heading, na_words)
                matches.append(match)
                if spec.required:
                    ordered.append((position, heading))
                if match.waived or (profile.na_waives_children and na_words is not None):
                    continue
                pending.append((spec.children, doc.children(heading.index), heading, match.path))
        ordered.sort(key=lambda pair: pair[1].line)
        first = first_out_of_order([position for position, _ in ordered])
        if first is not None:
            out_of_order.append(ordered[first][1])
    return Structure(tuple(matches), tuple(missing), tuple(out_of_order))


def _match_level(
    doc: Document, specs: tuple[SectionSpec, ...], candidates: list[Heading], parent: Heading | None
) -> dict[int, list[Heading]]:
    used: set[int] = set()
    found: dict[int, list[Heading]] = {}
    fallback = doc.descendants(parent.index) if parent is not None else list(doc.headings)
    for position, spec in enumerate(specs):
        if spec.repeatable:
            continue
        heading = _exact(doc, spec, (candidates, fallback), used, anywhere=parent is not None)
        if heading is not None:
            used.add(heading.index)
            found[position] = [heading]
    # "## Goals" written beside "## Motivation" rather than under it still answers the template.
    promoted = doc.children(parent.parent) if parent is not None else []
    pools = [{h.index for h in pool} for pool in (candidates, fallback, promoted)]
    for position, spec in enumerate(specs):
        if spec.repeatable or position in found:
            continue
        # Reworded or older wording of the same question, at any depth under the parent.
        sharing = headings_sharing_words(doc, spec.title) - used
        for pool in pools:
            heading = similar_heading(
                spec.title, [doc.headings[i] for i in sorted(sharing & pool)], used
            )
            if heading is not None:
                used.add(heading.index)
                found[position] = [heading]
                break
    for position, spec in enumerate(specs):
        if not spec.repeatable:
            continue
        instances = [h for h in candidates if h.index not in used and spec.matches(h.key)]
        used.update(h.index for h in instances)
        if instances:
            found[position] = instances
    return found


def _exact(
    doc: Document,
    spec: SectionSpec,
    pools: tuple[list[Heading], ...],
    used: set[int],
    *,
    anywhere: bool,
) -> Heading | None:
    for pool in pools:
        heading = next((h for h in pool if h.index not in used and spec.matches(h.key)), None)
        if heading is not None:
            return heading
    if not anywhere:
        return None
    # Last resort, by exact title only: the section written somewhere else in the document
    # ("## Test Plan" at top level when the template nests it under "Design Details").
    by_key = _headings_by_key(doc)
    for key in (spec.key, *spec.aliases):
        heading = next((h for h in by_key.get(key, ()) if h.index not in used), None)
        if heading is not None:
            return heading
    return None


def _headings_by_key(doc: Document) -> dict[str, list[Heading]]:
    cached = doc.__dict__.get("_headings_by_key")
    if cached is None:
        cached = {}
        for heading in doc.headings:
            cached.setdefault(heading.key, []).append(heading)
        doc.__dict__["_headings_by_key"] = cached
    return cached


def _has_conditions(specs: tuple[SectionSpec, ...]) -> bool:
    return any(spec.condition is not None or _has_conditions(spec.children) for spec in specs)


def first_out_of_order(sequence: list[int]) -> int | None:
    """Index of the first element outside a longest non-decreasing subsequence (O(n log n))."""
    if len(sequence) < 2:
        return None
    tails: list[int] = []
    tail_index: list[int] = []
    previous: list[int] = [-1] * len(sequence)
    for index, value in enumerate(sequence):
        position = bisect.bisect_right(tails, value)
        if position == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[position] = value
            tail_index[position] = index
        previous[index] = tail_index[position - 1] if position else -1
    kept: set[int] = set()
    cursor = tail_index[-1]
    while cursor >= 0:
        kept.add(cursor)
        cursor = previous[cursor]
    return next((index for index in range(len(sequence)) if index not in kept), None)
