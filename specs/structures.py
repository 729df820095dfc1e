"""The review structures a spec's own Markdown carries: its RACI table and scope decision log.

Parsed once per version at analysis time and stored on the version (`structures`), so pages
compare the document with what reviewers recorded without parsing Markdown again.

Pure: text in, frozen rows out, read through the linter's token-based document model (so
pipes in code spans, tables inside code blocks and mojibake behave as the linter sees them).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from speclint.document import Document, Table, TableRow, parse_document

RACI_COLUMNS = ("area", "responsible", "accountable", "consulted", "informed")
DECISION_COLUMNS = ("date", "request", "source", "decision", "rationale", "trade-off")
_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|/|&|\band\b)\s*")
_REMARK = re.compile(r"\s*\([^)]*\)\s*")
_EMPTY = {"", "-", "—", "n/a", "none"}


@dataclass(frozen=True)
class RaciRow:
    area: str
    responsible: tuple[str, ...]
    accountable: tuple[str, ...]
    consulted: tuple[str, ...]
    informed: tuple[str, ...]
    line: int

    def people(self) -> dict[str, tuple[str, ...]]:
        return {
            "R": self.responsible,
            "A": self.accountable,
            "C": self.consulted,
            "I": self.informed,
        }


@dataclass(frozen=True)
class DecisionRow:
    date: str
    request: str
    source: str
    decision: str
    rationale: str
    trade_off: str
    line: int


def _normalised_header(table: Table) -> tuple[str, ...]:
    # Authors paste headers with non-breaking hyphens (U+2011) from word processors.
    names = (name.lower().replace("\u2011", "-") for name in table.column_names)
    return tuple(" ".join(name.split()) for name in names)


def _table_rows(doc: Document, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line, cells by column name) of each row of the first table having all `columns`."""
    for table in doc.tables:
        header = _normalised_header(table)
        if all(column in header for column in columns):
            return [(row.line, _cells_by_column(row, header)) for row in table.rows]
    return []


def _cells_by_column(row: TableRow, header: tuple[str, ...]) -> dict[str, str]:
    return {name: cell.text.strip() for name, cell in zip(header, row.cells, strict=False)}


def split_names(cell: str) -> tuple[str, ...]:
    """`Sofia Rossi, Kenji Watanabe & Diego` → three names; `—` or `N/A` → none."""
    # Separators inside a parenthesised remark ("Grace Hopper (Finance, EMEA)") are not splits.
    protected = re.sub(r"\(([^)]*)\)", lambda m: "(" + m.group(1).replace(",", "\x00") + ")", cell)
    names = (part.replace("\x00", ",").strip() for part in _NAME_SEPARATORS.split(protected))
    return tuple(name for name in names if name.lower() not in _EMPTY)


def parse_raci(text: str) -> tuple[RaciRow, ...]:
    return raci_rows(parse_document(text))


def raci_rows(doc: Document) -> tuple[RaciRow, ...]:
    return tuple(
        RaciRow(
            area=cells["area"],
            responsible=split_names(cells.get("responsible", "")),
            accountable=split_names(cells.get("accountable", "")),
            consulted=split_names(cells.get("consulted", "")),
            informed=split_names(cells.get("informed", "")),
            line=line,
        )
        for line, cells in _table_rows(doc, RACI_COLUMNS)
        if cells.get("area")
    )


def decision_rows(doc: Document) -> tuple[DecisionRow, ...]:
    return tuple(
        DecisionRow(
            date=cells.get("date", ""),
            request=cells.get("request", ""),
            source=cells.get("source", ""),
            decision=cells.get("decision", ""),
            rationale=cells.get("rationale", ""),
            trade_off=cells.get("trade-off", ""),
            line=line,
        )
        for line, cells in _table_rows(doc, DECISION_COLUMNS)
    )


def name_key(name: str) -> str:
    """How names are compared: remarks dropped, accents folded, case and spacing ignored."""
    without_remark = _REMARK.sub(" ", name)
    folded = unicodedata.normalize("NFKD", without_remark)
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(ascii_only.lower().split())


def extract_structures(doc: Document) -> dict[str, Any]:
    return {
        "raci": [asdict(row) for row in raci_rows(doc)],
        "decision_log": [asdict(row) for row in decision_rows(doc)],
    }
