"""Inline token walking: plain text, prose runs with source columns, links, ``**Key:**`` lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from markdown_it.token import Token

__all__ = [
    "InlineComment",
    "InlineInfo",
    "LabelledLine",
    "Link",
    "ProseRun",
    "attribute_ids",
    "inline_info",
    "split_table_row",
]

# How far past the cursor a fragment may start: covers link destinations and emphasis markers
# between two fragments while keeping every search bounded on 100k-character lines.
_SEARCH_WINDOW = 4096


@dataclass(frozen=True)
class ProseRun:
    """One fragment of prose on one source line; code spans and URLs are never part of it."""

    line: int
    column: int
    text: str
    exact: bool
    kind: str

    def column_at(self, offset: int) -> int:
        return self.column + offset if self.exact else self.column


@dataclass(frozen=True)
class Link:
    line: int
    column: int
    href: str


@dataclass(frozen=True)
class LabelledLine:
    """A line that starts with a bold label: ``**Status:** Draft`` or ``**Status**: Draft``."""

    line: int
    column: int
    label: str
    value: str
    value_column: int
    context: str
    containers: tuple[str, ...]


@dataclass(frozen=True)
class InlineComment:
    line: int
    end_line: int
    column: int
    content: str


@dataclass
class InlineInfo:
    text: str = ""
    runs: list[ProseRun] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    labelled: list[LabelledLine] = field(default_factory=list)
    comments: list[InlineComment] = field(default_factory=list)
    html_ids: set[str] = field(default_factory=set)
    label_only: bool = False
    start_column: int = 1
    end_cursor: int = 0


class _Cursor:
    def __init__(self, lines: tuple[str, ...], line: int, column: int) -> None:
        self.lines = lines
        self.line = line
        self.position = column
        self.raw = lines[line] if line < len(lines) else ""

    def next_line(self) -> None:
        self.line += 1
        self.position = 0
        self.raw = self.lines[self.line] if self.line < len(self.lines) else ""

    def place(self, fragment: str) -> tuple[int, bool]:
        """0-based column of ``fragment`` at or after the cursor; moves the cursor past it."""
        if not fragment:
            return self.position, False
        limit = self.position + len(fragment) + _SEARCH_WINDOW
        found = self.raw.find(fragment, self.position, limit)
        if found < 0:
            return self.position, False
        self.position = found + len(fragment)
        return found, True

    def skip_code_span(self, markup: str, content: str) -> None:
        opening = self.raw.find(markup, self.position, self.position + _SEARCH_WINDOW)
        if opening < 0:
            return
        after_content = opening + len(markup) + max(len(content) - 2, 0)
        closing = self.raw.find(markup, after_content)
        self.position = closing + len(markup) if closing >= 0 else len(self.raw)


def _is_checkbox(token: Token) -> bool:
    return token.type == "html_inline" and "task-list-item-checkbox" in token.content


def inline_info(
    children: list[Token],
    lines: tuple[str, ...],
    line_index: int,
    column: int,
    context: str,
    containers: list[str],
) -> InlineInfo:
    info = InlineInfo(label_only=_label_only(children))
    cursor = _Cursor(lines, line_index, column)
    text_parts: list[str] = []
    line_tokens: list[tuple[Token, int]] = []
    autolinks = 0
    first_column: int | None = None
    frozen_containers = tuple(containers)
    for child in children:
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            _label_line(line_tokens, cursor.line, context, frozen_containers, info)
            line_tokens = []
            cursor.next_line()
            text_parts.append("\n")
            continue
        placed = cursor.position
        if kind == "text":
            placed, exact = cursor.place(child.content)
            if not autolinks and child.content.strip():
                info.runs.append(
                    ProseRun(cursor.line + 1, placed + 1, child.content, exact, context)
                )
            text_parts.append(child.content)
        elif kind == "code_inline":
            cursor.skip_code_span(child.markup, child.content)
            text_parts.append(child.content)
        elif _is_checkbox(child):
            closing = cursor.raw.find("]", cursor.position, cursor.position + _SEARCH_WINDOW)
            cursor.position = closing + 1 if closing >= 0 else cursor.position
            continue
        elif kind == "html_inline":
            placed, exact = cursor.place(child.content)
            if child.content.startswith("<!--"):
                info.comments.append(
                    InlineComment(cursor.line + 1, cursor.line + 1, placed + 1, child.content)
                )
            else:
                info.runs.append(
                    ProseRun(cursor.line + 1, placed + 1, child.content, exact, context)
                )
                info.html_ids.update(attribute_ids(child.content))
                text_parts.append(child.content)
        elif kind == "link_open":
            if child.markup == "autolink":
                autolinks += 1
            else:
                bracket = cursor.raw.find("[", cursor.position, cursor.position + _SEARCH_WINDOW)
                placed = bracket if bracket >= 0 else cursor.position
                href = str(child.attrs.get("href", ""))
                info.links.append(Link(cursor.line + 1, placed + 1, href))
        elif kind == "link_close" and child.markup == "autolink":
            autolinks -= 1
        if first_column is None and kind in ("text", "code_inline", "html_inline", "link_open"):
            first_column = placed + 1
        line_tokens.append((child, placed))
    _label_line(line_tokens, cursor.line, context, frozen_containers, info)
    info.text = "".join(text_parts)
    info.start_column = first_column if first_column is not None else column + 1
    info.end_cursor = cursor.position
    return info


_OPENERS = {"strong_open": "strong_close", "em_open": "em_close"}


def _label_only(children: list[Token]) -> bool:
    """A paragraph that is nothing but a bold or italic label: ``**Request schema**``."""
    meaningful = [
        child
        for child in children
        if not (child.type == "text" and child.content.strip() in ("", ":"))
    ]
    if len(meaningful) < 3 or meaningful[0].type not in _OPENERS:
        return False
    if meaningful[-1].type != _OPENERS[meaningful[0].type]:
        return False
    return all(
        child.type in ("text", "code_inline", "strong_open", "strong_close", "em_open", "em_close")
        for child in meaningful
    )


def _label_line(
    tokens: list[tuple[Token, int]],
    line: int,
    context: str,
    containers: tuple[str, ...],
    info: InlineInfo,
) -> None:
    meaningful = [
        (token, column)
        for token, column in tokens
        if not (token.type == "text" and not token.content.strip())
    ]
    if len(meaningful) < 3 or meaningful[0][0].type != "strong_open":
        return
    closing = next(
        (index for index, (token, _) in enumerate(meaningful) if token.type == "strong_close"), None
    )
    if closing is None:
        return
    label = "".join(
        token.content for token, _ in meaningful[1:closing] if token.type in ("text", "code_inline")
    ).strip()
    rest_tokens = meaningful[closing + 1 :]
    rest = "".join(
        token.content
        for token, _ in rest_tokens
        if token.type in ("text", "code_inline", "html_inline")
    )
    if label.endswith(":"):
        label = label[:-1].strip()
    elif rest.lstrip().startswith(":"):
        rest = rest.lstrip()[1:]
    else:
        return
    value_column = rest_tokens[0][1] + 1 if rest_tokens else meaningful[closing][1] + 1
    if rest_tokens and rest_tokens[0][0].type == "text":
        leading = len(rest_tokens[0][0].content) - len(rest_tokens[0][0].content.lstrip(" :"))
        value_column += leading
    info.labelled.append(
        LabelledLine(
            line + 1,
            meaningful[0][1] + 1,
            label,
            rest.strip(),
            value_column,
            context,
            containers,
        )
    )


def attribute_ids(content: str) -> set[str]:
    ids: set[str] = set()
    lowered = content.lower()
    for attribute in ('id="', 'name="', "id='", "name='"):
        cursor = 0
        while (found := lowered.find(attribute, cursor)) >= 0:
            start = found + len(attribute)
            end = content.find(attribute[-1], start)
            if end < 0:
                break
            ids.add(content[start:end])
            cursor = end
    return ids


def split_table_row(raw: str) -> list[tuple[str, int]] | None:
    """Cells of a table row, code spans kept whole; None when no code span holds a pipe.

    Returns (cell source, 1-based column of the cell source in the line). Linear: every
    backtick run is visited once and each run length keeps its own forward-only pointer.
    """
    runs: list[tuple[int, int]] = []
    index = 0
    while index < len(raw):
        if raw[index] == "`":
            end = index
            while end < len(raw) and raw[end] == "`":
                end += 1
            runs.append((index, end - index))
            index = end
        else:
            index += 1
    by_length: dict[int, list[int]] = {}
    for position, (_, length) in enumerate(runs):
        by_length.setdefault(length, []).append(position)
    pointers = dict.fromkeys(by_length, 0)
    spans: list[tuple[int, int]] = []
    position = 0
    while position < len(runs):
        start, length = runs[position]
        candidates = by_length[length]
        pointer = pointers[length]
        while pointer < len(candidates) and candidates[pointer] <= position:
            pointer += 1
        pointers[length] = pointer
        if pointer < len(candidates):
            closer = candidates[pointer]
            spans.append((start, runs[closer][0] + length))
            position = closer + 1
        else:
            position += 1
    if not any("|" in raw[start:end] for start, end in spans):
        return None
    inside = bytearray(len(raw))
    for start, end in spans:
        inside[start:end] = b"\x01" * (end - start)
    boundaries: list[int] = []
    for index, char in enumerate(raw):
        if char == "|" and not inside[index] and (index == 0 or raw[index - 1] != "\\"):
            boundaries.append(index)
    stripped_start = len(raw) - len(raw.lstrip())
    stripped_end = len(raw.rstrip())
    edges = [stripped_start - 1, *boundaries, stripped_end]
    if boundaries and boundaries[0] == stripped_start:
        edges = edges[1:]
    if boundaries and boundaries[-1] == stripped_end - 1:
        edges = edges[:-1]
    cells: list[tuple[str, int]] = []
    for left, right in pairwise(edges):
        piece = raw[left + 1 : right]
        column = left + 2 + (len(piece) - len(piece.lstrip()))
        cells.append((piece.strip(), column))
    return cells
