"""The parts of a parsed document: headings, blocks, list items, tables, code, comments."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Block",
    "CodeBlock",
    "FrontMatter",
    "Heading",
    "HtmlComment",
    "ListItem",
    "Paragraph",
    "Table",
    "TableCell",
    "TableRow",
]


@dataclass(frozen=True)
class Heading:
    index: int
    level: int
    line: int
    text: str
    key: str
    slug: str
    parent: int | None
    end_line: int


@dataclass(frozen=True)
class Block:
    """One block in document order; ``kind`` is paragraph, heading, code, table, html, comment,
    hr or front_matter. ``containers`` lists enclosing list items, blockquotes and footnotes."""

    kind: str
    line: int
    end_line: int
    containers: tuple[str, ...]
    text: str = ""
    label_only: bool = False


@dataclass(frozen=True)
class Paragraph:
    line: int
    end_line: int
    text: str
    containers: tuple[str, ...]
    label_only: bool


@dataclass(frozen=True)
class ListItem:
    line: int
    end_line: int
    text: str
    checked: bool | None
    depth: int


@dataclass(frozen=True)
class TableCell:
    text: str
    column: int


@dataclass(frozen=True)
class TableRow:
    line: int
    cells: tuple[TableCell, ...]


@dataclass(frozen=True)
class Table:
    line: int
    end_line: int
    header: tuple[TableCell, ...]
    rows: tuple[TableRow, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(cell.text for cell in self.header)


@dataclass(frozen=True)
class CodeBlock:
    line: int
    end_line: int
    lang: str
    content: str
    fenced: bool


@dataclass(frozen=True)
class HtmlComment:
    line: int
    end_line: int
    column: int
    content: str


@dataclass(frozen=True)
class FrontMatter:
    line: int
    end_line: int
    content: str
