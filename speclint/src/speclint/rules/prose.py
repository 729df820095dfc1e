"""Prose rules: placeholders, TODO markers, mojibake, N/A reasons, requirement ids, anchors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import groupby
from urllib.parse import unquote

from ..document import Heading
from ..inline import ProseRun
from ..model import Finding, Profile
from ..mojibake import find_mojibake
from ..structure import first_paragraph
from ..text import find_placeholders, find_todo_markers, na_reason_words, requirement_label
from . import Context
from .evidence import is_evidence_line
from .registry import finding

__all__ = ["check"]

_REQUIREMENT_PREFIXES = frozenset({"FR", "TR", "NFR", "AC"})
_MIN_REASON_WORDS = 3
_MARKERS = frozenset({"optional", "required", "recommended", "if applicable"})


def check(context: Context) -> Iterator[Finding]:
    runs = context.doc.runs
    if context.on("placeholder"):
        yield from _placeholders(runs, context.doc.lines, _placeholder_filter(context.profile))
    if context.on("todo-marker"):
        yield from _todos(runs)
    if context.on("mojibake"):
        yield from _mojibake(runs)
    if context.on("na-without-reason") and context.profile.na_needs_reason:
        yield from _na_reasons(context)
    if context.on("requirement-id"):
        yield from _requirement_ids(context)
    if context.on("broken-anchor"):
        yield from _anchors(context)


def _placeholder_filter(profile: Profile) -> Callable[[str], bool]:
    if profile.placeholder_mode == "any":
        return lambda text: True
    known = profile.template_placeholders

    def wanted(text: str) -> bool:
        if text.strip("[]").strip().lower() in _MARKERS:
            return False  # "[Optional] Aggregation method: ..." marks, it does not stand in
        # An angle placeholder with words (``<owner name>``) is one in any document.
        return text in known or (text.startswith("<") and " " in text)

    return wanted


def _placeholders(
    runs: tuple[ProseRun, ...], lines: tuple[str, ...], wanted: Callable[[str], bool]
) -> Iterator[Finding]:
    for run in runs:
        source = lines[run.line - 1] if run.exact and run.line <= len(lines) else ""
        preceding = source[run.column - 2] if 1 < run.column <= len(source) + 1 else ""
        for match in find_placeholders(run.text, preceding=preceding):
            if not wanted(match.text):
                continue
            yield finding(
                "placeholder",
                run.line,
                f"Unfilled placeholder '{match.text}'",
                column=run.column_at(match.start),
            )


def _todos(runs: tuple[ProseRun, ...]) -> Iterator[Finding]:
    for run in runs:
        for match in find_todo_markers(run.text):
            yield finding(
                "todo-marker",
                run.line,
                f"'{match.group(0)}' marker left in prose",
                column=run.column_at(match.start()),
            )


def _mojibake(runs: tuple[ProseRun, ...]) -> Iterator[Finding]:
    for line, line_runs in groupby(runs, key=lambda run: run.line):
        damaged: list[str] = []
        repaired: list[str] = []
        column = 0
        encodings: list[str] = []
        for run in line_runs:
            for span in find_mojibake(run.text):
                if not column:
                    column = run.column_at(span.start)
                damaged.append(span.damaged)
                repaired.append(span.repaired)
                encodings.append(span.encoding)
        if damaged:
            yield finding(
                "mojibake",
                line,
                f"Mis-decoded UTF-8 (read as {encodings[0]}): "
                f"'{' '.join(damaged)}' should read '{' '.join(repaired)}'",
                column=column,
            )


def _na_reasons(context: Context) -> Iterator[Finding]:
    doc = context.doc
    reported: set[int] = set()

    def report(line: int, words: int | None, where: str, column: int = 1) -> Iterator[Finding]:
        if words is None or words >= _MIN_REASON_WORDS or line in reported:
            return
        reported.add(line)
        yield finding(
            "na-without-reason",
            line,
            f"'N/A' in {where} needs a reason of at least three words (found {words})",
            column=column,
        )

    for heading in doc.headings:
        paragraph = first_paragraph(doc, heading)
        if paragraph is None:
            continue
        # An Evidence line closing the paragraph is not part of the N/A's reason.
        text = "\n".join(
            line for line in paragraph.text.strip().split("\n") if not is_evidence_line(line)
        )
        top_level = not paragraph.containers
        words = na_reason_words(text) if top_level or text.upper().startswith("N/A") else None
        yield from report(paragraph.line, words, f"section '{heading.text}'")
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.text.upper().startswith("N/A"):
                    yield from report(
                        row.line, na_reason_words(cell.text), "a table cell", cell.column
                    )
    for item in doc.list_items:
        if item.checked is not None and item.text.upper().startswith("N/A"):
            yield from report(item.line, na_reason_words(item.text), "a checklist item")


def _requirement_ids(context: Context) -> Iterator[Finding]:
    doc = context.doc
    first_use: dict[tuple[int | None, str], int] = {}
    labelled: list[tuple[int, str]] = [(heading.line, heading.text) for heading in doc.headings] + [
        (item.line, item.text) for item in doc.list_items
    ]
    labelled.sort()
    for line, text in labelled:
        label = requirement_label(text)
        if label is None or label.split("-")[0] not in _REQUIREMENT_PREFIXES:
            continue
        scope = (
            _acceptance_scope(doc.section_at(line), doc.headings)
            if label.startswith("AC-")
            else None
        )
        key = (scope, label)
        if key in first_use:
            if first_use[key] != line:
                yield finding(
                    "requirement-id",
                    line,
                    f"Requirement id '{label}' is already used at line {first_use[key]}",
                )
        else:
            first_use[key] = line


def _acceptance_scope(heading: Heading | None, headings: tuple[Heading, ...]) -> int | None:
    """Acceptance criteria are numbered per requirement: AC-1 under FR-1 and under FR-2 differ."""
    current = heading
    while current is not None:
        label = requirement_label(current.text)
        if label is not None and label.split("-")[0] in ("FR", "TR", "NFR"):
            return current.index
        current = headings[current.parent] if current.parent is not None else None
    return None


def _anchors(context: Context) -> Iterator[Finding]:
    doc = context.doc
    targets = {heading.slug.lower() for heading in doc.headings}
    targets.update(identifier.lower() for identifier in doc.html_ids)
    for link in doc.links:
        if not link.href.startswith("#") or len(link.href) < 2:
            continue
        fragment = unquote(link.href[1:])
        if fragment.lower() not in targets:
            yield finding(
                "broken-anchor",
                link.line,
                f"Link to '#{fragment}' matches no heading in the document",
                column=link.column,
            )
