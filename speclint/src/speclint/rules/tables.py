"""Table rules: required tables and columns, data rows, enumerated cells, RACI, Date columns."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document import Table
from ..model import Finding, TableSpec
from ..structure import SectionMatch
from ..text import column_key, find_placeholders, normalise_value
from . import Context
from .metadata import is_real_date
from .registry import finding

__all__ = ["check", "people_in"]

_REMARKS = re.compile(r"\([^()]{0,200}\)")
_PEOPLE_SEPARATORS = re.compile(r"[,;/&]|\band\b", re.IGNORECASE)


def check(context: Context) -> Iterator[Finding]:
    date_columns: dict[int, set[str]] = {}
    for spec in context.profile.tables:
        for match in context.structure.instances(spec.section):
            table = _find_table(context, match, spec)
            if table is None:
                yield finding(
                    "table-columns",
                    match.heading.line,
                    f"Section '{match.heading.text}' needs a table with columns "
                    f"{', '.join(spec.columns)}",
                )
                continue
            yield from _check_table(table, spec)
            date_columns.setdefault(table.line, set()).update(
                column_key(name) for name in spec.date_columns
            )
    for table in context.doc.tables:
        keys = date_columns.get(table.line, set()) | {"date"}
        yield from _dates(table, keys)
        yield from _raci(table)


def _find_table(context: Context, match: SectionMatch, spec: TableSpec) -> Table | None:
    heading = match.heading
    own_end = context.doc.body_end(heading)
    wanted = {column_key(name) for name in spec.columns}
    best: Table | None = None
    best_score = -1
    for table in context.doc.tables:
        if not heading.line < table.line <= heading.end_line:
            continue
        score = len(wanted & {column_key(name) for name in table.column_names})
        # Prefer the section's own table over one in a subsection when both fit equally.
        score = score * 2 + (1 if table.line <= own_end else 0)
        if score > best_score:
            best, best_score = table, score
    return best


def _column_index(table: Table, name: str) -> int | None:
    wanted = column_key(name)
    return next(
        (index for index, column in enumerate(table.column_names) if column_key(column) == wanted),
        None,
    )


def _check_table(table: Table, spec: TableSpec) -> Iterator[Finding]:
    present = {column_key(name) for name in table.column_names}
    missing = [name for name in spec.columns if column_key(name) not in present]
    if missing:
        yield finding(
            "table-columns",
            table.line,
            f"Table in '{spec.section_title}' lacks column(s) {', '.join(missing)}",
        )
    if not table.rows:
        yield finding(
            "table-empty", table.line, f"Table in '{spec.section_title}' has no data rows"
        )
    for column, allowed in spec.enums:
        index = _column_index(table, column)
        if index is None:
            continue
        options = {normalise_value(option) for option in allowed}
        for row in table.rows:
            cell = row.cells[index]
            value = cell.text.strip()
            if find_placeholders(value) or value.upper().startswith("N/A"):
                continue
            if normalise_value(value) not in options:
                shown = f"'{value}'" if value else "empty"
                yield finding(
                    "enum-value",
                    row.line,
                    f"{column} {shown} is not one of {', '.join(allowed)}",
                    column=cell.column,
                )


def _dates(table: Table, date_keys: set[str]) -> Iterator[Finding]:
    for index, name in enumerate(table.column_names):
        if column_key(name) not in date_keys:
            continue
        for row in table.rows:
            cell = row.cells[index]
            value = cell.text.strip()
            if not value or find_placeholders(value) or value.upper().startswith("N/A"):
                continue
            if not is_real_date(value):
                yield finding(
                    "date-format",
                    row.line,
                    f"{name} '{value}' is not a real ISO-8601 date (YYYY-MM-DD)",
                    column=cell.column,
                )


def people_in(cell: str) -> list[str]:
    """Names in a RACI cell; parenthesised remarks such as ``(Payments/Ledger)`` are not names."""
    if cell.strip().upper().startswith("N/A"):
        return []
    without_remarks = _REMARKS.sub(" ", cell)
    return [part.strip() for part in _PEOPLE_SEPARATORS.split(without_remarks) if part.strip()]


def _raci(table: Table) -> Iterator[Finding]:
    accountable = _column_index(table, "Accountable")
    responsible = _column_index(table, "Responsible")
    if accountable is None or responsible is None:
        return
    for row in table.rows:
        area = row.cells[0].text if row.cells else ""
        people = people_in(row.cells[accountable].text)
        if not people:
            yield finding("raci-accountable", row.line, f"RACI area '{area}' has no Accountable")
        elif len(people) > 1:
            yield finding(
                "raci-accountable",
                row.line,
                f"RACI area '{area}' has {len(people)} Accountable ({', '.join(people)}); "
                "exactly one person is accountable",
            )
        if not people_in(row.cells[responsible].text):
            yield finding("raci-responsible", row.line, f"RACI area '{area}' has no Responsible")
