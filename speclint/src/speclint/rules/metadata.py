"""Metadata and front-matter rules: missing keys, allowed values, real calendar dates."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

import yaml

from ..document import Document
from ..inline import LabelledLine
from ..model import Finding, FrontMatterSpec
from ..text import find_placeholders, normalise_value
from . import Context
from .registry import finding

__all__ = ["check", "is_real_date", "metadata_lines"]

_LEADING_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_DATE_LIKE = re.compile(r"(?<![\w-])\d{4}-\d{1,2}-\d{1,2}(?![\w-])")
_SEMVER = re.compile(r"^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


def check(context: Context) -> Iterator[Finding]:
    yield from _metadata(context)
    yield from _front_matter(context)


def metadata_lines(doc: Document) -> list[LabelledLine]:
    """``**Key:** value`` lines before the first ``##`` heading."""
    return [
        labelled
        for labelled in doc.labelled_lines
        if labelled.line <= doc.metadata_end_line
        and labelled.context == "paragraph"
        and set(labelled.containers) <= {"list_item"}
    ]


def is_real_date(text: str) -> bool:
    match = _LEADING_DATE.match(text)
    if not match or len(match.group(2)) != 2 or len(match.group(3)) != 2:
        return False
    try:
        datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return False
    return True


def _bad_dates(text: str) -> list[str]:
    return [
        match.group(0) for match in _DATE_LIKE.finditer(text) if not is_real_date(match.group(0))
    ]


def _metadata(context: Context) -> Iterator[Finding]:
    lines = metadata_lines(context.doc)
    by_key: dict[str, LabelledLine] = {}
    for labelled in lines:
        by_key.setdefault(normalise_value(labelled.label), labelled)
    checked_dates: set[int] = set()
    for spec in context.profile.metadata:
        present = by_key.get(normalise_value(spec.key))
        if present is None:
            if spec.required:
                yield finding("metadata-missing", 1, f"Metadata field '**{spec.key}:**' is missing")
            continue
        value = present.value.strip()
        if not value or find_placeholders(value):
            continue
        if spec.allowed and normalise_value(value.strip("[]")) not in {
            normalise_value(option) for option in spec.allowed
        }:
            yield finding(
                "metadata-value",
                present.line,
                f"{spec.key} '{value}' is not one of {', '.join(spec.allowed)}",
                column=present.value_column,
            )
        if spec.form == "semver" and not _SEMVER.match(value):
            yield finding(
                "metadata-value",
                present.line,
                f"{spec.key} '{value}' is not a semantic version (MAJOR.MINOR.PATCH)",
                column=present.value_column,
            )
        if spec.form == "date" and not is_real_date(value):
            checked_dates.add(present.line)
            yield finding(
                "date-format",
                present.line,
                f"{spec.key} '{value}' is not a real ISO-8601 date (YYYY-MM-DD)",
                column=present.value_column,
            )
    for labelled in lines:
        if labelled.line in checked_dates:
            continue
        for bad in _bad_dates(labelled.value):
            yield finding(
                "date-format",
                labelled.line,
                f"{labelled.label} '{bad}' is not a real ISO-8601 calendar date",
                column=labelled.value_column,
            )


def _front_matter(context: Context) -> Iterator[Finding]:
    spec = context.profile.front_matter
    block = context.doc.front_matter
    if block is None:
        # Front matter whose every key is optional (MADR) may be left out altogether.
        if spec is not None and spec.required:
            keys = ", ".join(spec.required)
            yield finding(
                "front-matter", 1, f"YAML front matter is missing (required keys: {keys})"
            )
        return
    try:
        node = yaml.compose(block.content, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = block.line + 1 + mark.line if mark else 1
        yield finding("front-matter", line, f"Front matter is not valid YAML: {error.problem}")
        return
    except (yaml.YAMLError, RecursionError):
        yield finding("front-matter", 1, "Front matter is not valid YAML")
        return
    if not isinstance(node, yaml.MappingNode):
        if spec is not None:
            yield finding("front-matter", 1, "Front matter is not a YAML mapping of keys to values")
        return
    values: dict[str, tuple[str, int]] = {}
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            value = value_node.value if isinstance(value_node, yaml.ScalarNode) else ""
            values[str(key_node.value)] = (str(value), block.line + 1 + key_node.start_mark.line)
    yield from _front_matter_values(values, spec)


def _front_matter_values(
    values: dict[str, tuple[str, int]], spec: FrontMatterSpec | None
) -> Iterator[Finding]:
    dates = set(spec.dates) if spec else set()
    for key in spec.required if spec else ():
        if key not in values:
            yield finding("front-matter", 1, f"Front matter lacks the required key '{key}'")
    for key, (value, line) in values.items():
        if key in dates and not is_real_date(value.strip()):
            yield finding(
                "date-format", line, f"Front matter '{key}: {value}' is not a real ISO-8601 date"
            )
        elif key not in dates:
            for bad in _bad_dates(value):
                yield finding(
                    "date-format", line, f"Front matter '{key}: {bad}' is not a real calendar date"
                )
    for earlier, later in spec.order if spec else ():
        if earlier in values and later in values:
            first, second = values[earlier][0].strip(), values[later][0].strip()
            if is_real_date(first) and is_real_date(second) and second[:10] < first[:10]:
                yield finding(
                    "front-matter",
                    values[later][1],
                    f"Front matter '{later}' ({second}) is before '{earlier}' ({first})",
                )
