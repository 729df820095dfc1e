"""Section rules: required, empty, order, heading levels, duplicates, diagrams, code, fields."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Finding
from ..structure import SectionMatch, content_texts, normalise_unit
from ..text import find_placeholders, is_placeholder_only, normalise_value
from . import Context
from .registry import finding

__all__ = ["check"]

_OPTIONAL_IN_HEADING = re.compile(r"[\[(]\s*optional\s*[\])]", re.IGNORECASE)
_PYTHON_TAGS = frozenset({"python", "py", "python3", "py3"})


def check(context: Context) -> Iterator[Finding]:
    yield from _required(context)
    yield from _empty(context)
    yield from _order(context)
    yield from _heading_increment(context)
    yield from _duplicates(context)
    yield from _diagrams_and_code(context)
    yield from _fields(context)


def _required(context: Context) -> Iterator[Finding]:
    profile, doc = context.profile, context.doc
    if profile.requires_title and not any(heading.level == 1 for heading in doc.headings):
        template = f" (template: '{profile.title}')" if profile.title else ""
        yield finding("required-section", 1, f"The document has no '# ' title{template}")
    for missing in context.structure.missing:
        where = f" under '{missing.parent.text}'" if missing.parent else ""
        quantity = " (at least one)" if missing.spec.repeatable else ""
        yield finding(
            "required-section",
            missing.parent.line if missing.parent else 1,
            f"Required section '{missing.spec.title}' is missing{where}{quantity}",
        )


def _is_filled(text: str, guidance: frozenset[str]) -> bool:
    return normalise_unit(text) not in guidance and not is_placeholder_only(text)


def _empty(context: Context) -> Iterator[Finding]:
    doc = context.doc
    reported: list[tuple[int, int]] = []
    for match in sorted(context.structure.matches, key=lambda item: item.heading.line):
        heading = match.heading
        if not match.spec.required or match.na_words is not None:
            continue
        if _OPTIONAL_IN_HEADING.search(heading.text):
            continue  # the document keeps its template's "[optional]": leaving it empty is allowed
        if any(start <= heading.line <= end for start, end in reported):
            continue
        texts = content_texts(doc, heading.line + 1, heading.end_line)
        if any(_is_filled(text, match.spec.guidance) for text in texts):
            continue
        reported.append((heading.line, heading.end_line))
        what = "template guidance or placeholders" if texts else "headings"
        yield finding("empty-section", heading.line, f"Section '{heading.text}' has only {what}")


def _order(context: Context) -> Iterator[Finding]:
    for heading in context.structure.out_of_order:
        yield finding(
            "section-order",
            heading.line,
            f"Section '{heading.text}' is out of the template's order",
        )


def _heading_increment(context: Context) -> Iterator[Finding]:
    # A jump the template makes itself (h3 straight to h6 for a questionnaire) is its norm.
    allowed = context.profile.heading_jumps
    previous = 0
    for heading in context.doc.headings:
        if previous and heading.level > previous + 1 and (previous, heading.level) not in allowed:
            yield finding(
                "heading-increment",
                heading.line,
                f"Heading level jumps from h{previous} to h{heading.level}",
            )
        previous = heading.level


def _duplicates(context: Context) -> Iterator[Finding]:
    first_seen: dict[tuple[int | None, int, str], int] = {}
    for heading in context.doc.headings:
        key = (heading.parent, heading.level, heading.key or heading.text)
        if key in first_seen:
            yield finding(
                "duplicate-heading",
                heading.line,
                f"Heading '{heading.text}' repeats the one at line {first_seen[key]}",
            )
        else:
            first_seen[key] = heading.line


def _blocks_in(context: Context, match: SectionMatch) -> list[str]:
    heading = match.heading
    return [
        block.lang
        for block in context.doc.code_blocks
        if heading.line < block.line <= heading.end_line
    ]


def _diagrams_and_code(context: Context) -> Iterator[Finding]:
    for match in context.structure.matches:
        spec = match.spec
        if spec.allow_na and match.na_words is not None:
            continue
        languages = _blocks_in(context, match)
        if spec.needs_mermaid and "mermaid" not in languages:
            yield finding(
                "mermaid-missing",
                match.heading.line,
                f"Section '{match.heading.text}' needs a ```mermaid diagram",
            )
        wanted = spec.needs_code
        if wanted is None:
            continue
        tags = _PYTHON_TAGS if wanted in _PYTHON_TAGS else frozenset({wanted})
        present = (
            any(lang != "mermaid" for lang in languages)
            if wanted == "any"
            else bool(tags & set(languages))
        )
        if not present:
            kind = "a code block" if wanted == "any" else f"a ```{wanted} block"
            yield finding(
                "code-block-missing",
                match.heading.line,
                f"Section '{match.heading.text}' needs {kind}",
            )


def _fields(context: Context) -> Iterator[Finding]:
    labelled = context.doc.labelled_lines
    for match in context.structure.matches:
        if not match.spec.fields or match.waived:
            continue
        heading = match.heading
        inside = [item for item in labelled if heading.line < item.line <= heading.end_line]
        for spec in match.spec.fields:
            wanted = normalise_value(spec.label)
            present = [item for item in inside if normalise_value(item.label) == wanted]
            allowed = ", ".join(spec.allowed)
            if not present:
                yield finding(
                    "field-missing",
                    heading.line,
                    f"Section '{heading.text}' has no **{spec.label}:** field ({allowed})",
                )
                continue
            for item in present:
                value = item.value.strip().strip("[]").strip()
                if find_placeholders(item.value) or value.upper().startswith("N/A"):
                    continue
                if normalise_value(value) not in {normalise_value(a) for a in spec.allowed}:
                    yield finding(
                        "enum-value",
                        item.line,
                        f"{spec.label} '{value}' is not one of {allowed}",
                        column=item.value_column,
                    )
