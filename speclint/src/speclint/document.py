"""Parse Markdown once, through markdown-it's token stream, into plain values the rules read.

Line numbers come from ``token.map`` (1-based here, as reported); columns are found by locating
each inline fragment in its source line with a forward-only cursor, so code spans, autolinks and
link destinations are never mistaken for prose.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .inline import (
    InlineComment,
    InlineInfo,
    LabelledLine,
    Link,
    ProseRun,
    attribute_ids,
    inline_info,
    split_table_row,
)
from .nodes import (
    Block,
    CodeBlock,
    FrontMatter,
    Heading,
    HtmlComment,
    ListItem,
    Paragraph,
    Table,
    TableCell,
    TableRow,
)
from .text import github_slug, section_key

__all__ = [
    "Block",
    "CodeBlock",
    "Document",
    "FrontMatter",
    "Heading",
    "HtmlComment",
    "LabelledLine",
    "Link",
    "ListItem",
    "Paragraph",
    "ProseRun",
    "Table",
    "TableCell",
    "TableRow",
    "build_markdown",
    "document_from_tokens",
    "parse_document",
]


def build_markdown() -> MarkdownIt:
    """The linter's parser. Its token stream is only read, never rewritten (task items are
    recognised while reading), so a renderer may run its own passes over the same tokens
    afterwards: the app parses a version once for both (`document_from_tokens`)."""
    # HTML on: comments must become tokens (suppressions) and `<owner name>` an inline tag that
    # the placeholder rule can judge. The linter never renders, so this opens no XSS door.
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin).use(footnote_plugin)
    return md


MARKDOWN = build_markdown()

CONTAINERS = {"blockquote_open": "blockquote", "list_item_open": "list_item"}
_RAW_HTML_BLOCKS = ("<pre", "<script", "<style", "<textarea")


@dataclass(frozen=True)
class Document:
    text: str
    lines: tuple[str, ...]
    headings: tuple[Heading, ...]
    blocks: tuple[Block, ...]
    paragraphs: tuple[Paragraph, ...]
    list_items: tuple[ListItem, ...]
    tables: tuple[Table, ...]
    code_blocks: tuple[CodeBlock, ...]
    comments: tuple[HtmlComment, ...]
    links: tuple[Link, ...]
    runs: tuple[ProseRun, ...]
    labelled_lines: tuple[LabelledLine, ...]
    front_matter: FrontMatter | None
    html_ids: frozenset[str]
    _heading_lines: tuple[int, ...] = field(default=(), repr=False)

    @property
    def line_count(self) -> int:
        return len(self.lines)

    @cached_property
    def title(self) -> Heading | None:
        first = self.headings[0] if self.headings else None
        return first if first is not None and first.level == 1 else None

    @cached_property
    def metadata_end_line(self) -> int:
        """Metadata is the ``**Key:** value`` lines before the first ``##``."""
        for heading in self.headings:
            if heading.level >= 2:
                return heading.line - 1
        return self.line_count

    @cached_property
    def _code_by_line(self) -> dict[int, CodeBlock]:
        return {block.line: block for block in self.code_blocks}

    @cached_property
    def _table_by_line(self) -> dict[int, Table]:
        # A table block starts at its header row, which is the line its Table records.
        return {table.line: table for table in self.tables}

    def code_at(self, line: int) -> CodeBlock | None:
        return self._code_by_line.get(line)

    def table_at(self, line: int) -> Table | None:
        return self._table_by_line.get(line)

    def section_at(self, line: int) -> Heading | None:
        """Innermost enclosing heading of ``line`` (a heading encloses its own line)."""
        position = bisect.bisect_right(self._heading_lines, line)
        return self.headings[position - 1] if position else None

    @cached_property
    def _children(self) -> dict[int | None, list[Heading]]:
        children: dict[int | None, list[Heading]] = {}
        for heading in self.headings:
            children.setdefault(heading.parent, []).append(heading)
        return children

    def children(self, parent: int | None) -> list[Heading]:
        return list(self._children.get(parent, ()))

    def descendants(self, parent: int) -> list[Heading]:
        top = self.headings[parent]
        return [h for h in self.headings[parent + 1 :] if h.line <= top.end_line]

    def body_end(self, heading: Heading) -> int:
        """Last line of a heading's own body, before its first subsection."""
        following = (
            self.headings[heading.index + 1] if heading.index + 1 < len(self.headings) else None
        )
        return following.line - 1 if following is not None else self.line_count


def parse_document(text: str) -> Document:
    """Parse Markdown text (BOM and CR line endings tolerated) into a :class:`Document`."""
    text = normalise_text(text)
    return document_from_tokens(text, MARKDOWN.parse(text))


def normalise_text(text: str) -> str:
    """Without a BOM, with LF line ends: the text whose lines findings number."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def document_from_tokens(text: str, tokens: list[Token]) -> Document:
    """The :class:`Document` of `tokens`, a parse of `text` (already `normalise_text`-ed) by a
    parser configured as `build_markdown` is. The tokens are read, never changed."""
    builder = _Builder(tuple(text.split("\n")))
    builder.walk(tokens)
    return builder.build(text)


# GitHub's task item: "[ ]", "[x]" or "[X]" then whitespace, first thing in a list item's
# first paragraph (the rules of mdit-py-plugins' tasklists plugin, which this replaces).
_TASK_MARKER = re.compile(r"\[[ xX]][ \t\n\v\f\r]+")
_CHECKBOX = '<input class="task-list-item-checkbox" {checked}disabled="disabled" type="checkbox">'


def _inline_children(tokens: list[Token], index: int) -> list[Token]:
    """The children of the inline token at `index` as the linter reads them: a task item's
    marker becomes a checkbox (an ``html_inline`` token) and leaves the text. New tokens, so
    the stream itself stays as parsed."""
    inline = tokens[index]
    children = inline.children or []
    if not (
        2 <= index < len(tokens) - 1
        and tokens[index - 1].type == "paragraph_open"
        and tokens[index - 2].type == "list_item_open"
        and children
        and _TASK_MARKER.match(inline.content)
    ):
        return children
    content = inline.content
    checkbox = Token("html_inline", "", 0)
    if content.startswith("[ ] "):
        checkbox.content = _CHECKBOX.format(checked="")
    elif content.startswith(("[x] ", "[X] ")):
        checkbox.content = _CHECKBOX.format(checked='checked="checked" ')
    return [checkbox, children[0].copy(content=children[0].content[3:]), *children[1:]]


class _Builder:
    def __init__(self, lines: tuple[str, ...]) -> None:
        self.lines = lines
        self.raw_headings: list[tuple[int, int, str]] = []
        self.blocks: list[Block] = []
        self.paragraphs: list[Paragraph] = []
        self.list_items: list[ListItem] = []
        self.tables: list[Table] = []
        self.code_blocks: list[CodeBlock] = []
        self.comments: list[HtmlComment] = []
        self.links: list[Link] = []
        self.runs: list[ProseRun] = []
        self.labelled: list[LabelledLine] = []
        self.front_matter: FrontMatter | None = None
        self.html_ids: set[str] = set()
        self.containers: list[str] = []

    def walk(self, tokens: list[Token]) -> None:
        index = 0
        while index < len(tokens):
            index = self._visit(tokens, index) + 1

    def _visit(self, tokens: list[Token], index: int) -> int:
        token = tokens[index]
        kind = token.type
        if kind in CONTAINERS:
            if kind == "list_item_open":
                self._list_item(tokens, index)
            self.containers.append(CONTAINERS[kind])
        elif kind == "footnote_open":
            self.containers.append("footnote")
        elif kind in ("blockquote_close", "list_item_close", "footnote_close"):
            if self.containers:
                self.containers.pop()
        elif kind == "heading_open":
            self._heading(token, tokens[index + 1])
            return index + 2
        elif kind == "paragraph_open":
            self._paragraph(token, tokens[index + 1], _inline_children(tokens, index + 1))
            return index + 2
        elif kind in ("fence", "code_block"):
            self._code(token)
        elif kind == "html_block":
            self._html_block(token)
        elif kind == "table_open":
            return self._table(tokens, index)
        elif kind == "front_matter" and token.map:
            self.front_matter = FrontMatter(token.map[0] + 1, token.map[1], token.content)
            self._block("front_matter", token)
        elif kind == "hr":
            self._block("hr", token)
        return index

    def _block(self, kind: str, token: Token, text: str = "", label_only: bool = False) -> None:
        start, end = token.map or (0, 0)
        self.blocks.append(
            Block(kind, start + 1, max(end, start + 1), tuple(self.containers), text, label_only)
        )

    def _inline(self, token: Token, context: str) -> InlineInfo:
        start = token.map[0] if token.map else 0
        info = inline_info(token.children or [], self.lines, start, 0, context, self.containers)
        self._collect(info)
        return info

    def _collect(self, info: InlineInfo) -> None:
        self.runs.extend(info.runs)
        self.links.extend(info.links)
        self.labelled.extend(info.labelled)
        self.comments.extend(_comment(comment) for comment in info.comments)
        self.html_ids.update(info.html_ids)

    def _heading(self, token: Token, inline: Token) -> None:
        info = self._inline(inline, "heading")
        line = (token.map[0] if token.map else 0) + 1
        self.raw_headings.append((int(token.tag[1]), line, info.text.strip()))
        self._block("heading", token, info.text.strip())

    def _paragraph(self, token: Token, inline: Token, children: list[Token]) -> None:
        first_line = inline.map[0] if inline.map else 0
        info = inline_info(children, self.lines, first_line, 0, "paragraph", self.containers)
        self._collect(info)
        start, end = token.map or (0, 0)
        containers = tuple(self.containers)
        self.paragraphs.append(Paragraph(start + 1, end, info.text, containers, info.label_only))
        self._block("paragraph", token, info.text, info.label_only)

    def _list_item(self, tokens: list[Token], index: int) -> None:
        item = tokens[index]
        start, end = item.map or (0, 0)
        text, checked = "", None
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is not None and following.type == "paragraph_open":
            children = _inline_children(tokens, index + 2)
            if (
                children
                and children[0].type == "html_inline"
                and "task-list-item" in children[0].content
            ):
                checked = 'checked="checked"' in children[0].content
            text = _plain_text(children).strip()
        elif following is not None and following.type == "html_block":
            text = following.content.strip()
        depth = self.containers.count("list_item")
        self.list_items.append(ListItem(start + 1, max(end, start + 1), text, checked, depth))

    def _code(self, token: Token) -> None:
        start, end = token.map or (0, 0)
        fenced = token.type == "fence"
        lang = (
            token.info.strip().split(maxsplit=1)[0].lower() if fenced and token.info.strip() else ""
        )
        self.code_blocks.append(
            CodeBlock(start + 1, max(end, start + 1), lang, token.content, fenced)
        )
        self._block("code", token)

    def _html_block(self, token: Token) -> None:
        start = token.map[0] if token.map else 0
        content = token.content
        comments, rest = _split_comments(content, start, self.lines)
        self.comments.extend(comments)
        self.html_ids.update(attribute_ids(content))
        stripped = content.lstrip().lower()
        if rest.strip() and not stripped.startswith(_RAW_HTML_BLOCKS):
            for offset, raw_line in enumerate(content.split("\n")):
                if raw_line.strip() and "<!--" not in raw_line and "-->" not in raw_line:
                    source = self.lines[start + offset] if start + offset < len(self.lines) else ""
                    column = max(source.find(raw_line.strip()), 0) + 1
                    self.runs.append(
                        ProseRun(start + offset + 1, column, raw_line.strip(), True, "html")
                    )
        self._block("html" if rest.strip() else "comment", token, content)

    def _table(self, tokens: list[Token], index: int) -> int:
        table_token = tokens[index]
        rows: list[TableRow] = []
        cells: list[TableCell] = []
        row_line = cursor = 0
        marks = (len(self.runs), len(self.links))
        for position in range(index + 1, len(tokens)):
            token = tokens[position]
            if token.type == "tr_open":
                cells, row_line, cursor = [], (token.map[0] if token.map else 0), 0
                marks = (len(self.runs), len(self.links))
            elif token.type == "inline":
                info = inline_info(
                    token.children or [], self.lines, row_line, cursor, "cell", self.containers
                )
                self._collect(info)
                cursor = info.end_cursor
                cells.append(TableCell(info.text.strip(), info.start_column))
            elif token.type == "tr_close":
                rows.append(self._resplit(TableRow(row_line + 1, tuple(cells)), marks))
            elif token.type == "table_close":
                header, body = (rows[0], rows[1:]) if rows else (TableRow(0, ()), [])
                body = [TableRow(row.line, _fit(row.cells, len(header.cells))) for row in body]
                end = table_token.map[1] if table_token.map else 0
                self.tables.append(Table(header.line, end, header.cells, tuple(body)))
                self._block("table", table_token)
                return position
        return len(tokens) - 1

    def _resplit(self, row: TableRow, marks: tuple[int, int]) -> TableRow:
        """GFM splits cells at a pipe even inside a code span; real specs mean the code span."""
        raw = self.lines[row.line - 1] if 0 < row.line <= len(self.lines) else ""
        if "`" not in raw:
            return row
        pieces = split_table_row(raw)
        if pieces is None:
            return row
        # Forget what the mis-split cells contributed, then parse each real cell on its own.
        del self.runs[marks[0] :]
        del self.links[marks[1] :]
        cells: list[TableCell] = []
        for cell_text, column in pieces:
            parsed = MARKDOWN.parseInline(cell_text)
            children = (parsed[0].children or []) if parsed else []
            info = inline_info(
                children, self.lines, row.line - 1, column - 1, "cell", self.containers
            )
            self._collect(info)
            cells.append(TableCell(info.text.strip(), column))
        return TableRow(row.line, tuple(cells))

    def build(self, text: str) -> Document:
        headings = _headings(self.raw_headings, len(self.lines))
        return Document(
            text=text,
            lines=self.lines,
            headings=headings,
            # Footnote definitions arrive at the end of the token stream; keep line order.
            blocks=tuple(sorted(self.blocks, key=lambda block: block.line)),
            paragraphs=tuple(sorted(self.paragraphs, key=lambda paragraph: paragraph.line)),
            list_items=tuple(self.list_items),
            tables=tuple(self.tables),
            code_blocks=tuple(self.code_blocks),
            comments=tuple(sorted(self.comments, key=lambda comment: comment.line)),
            links=tuple(self.links),
            runs=tuple(sorted(self.runs, key=lambda run: (run.line, run.column))),
            labelled_lines=tuple(self.labelled),
            front_matter=self.front_matter,
            html_ids=frozenset(self.html_ids),
            _heading_lines=tuple(heading.line for heading in headings),
        )


def _plain_text(children: list[Token]) -> str:
    pieces: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append(" ")
        elif child.type == "html_inline" and "task-list-item" not in child.content:
            pieces.append(child.content)
    return "".join(pieces)


def _fit(cells: tuple[TableCell, ...], width: int) -> tuple[TableCell, ...]:
    if len(cells) >= width:
        return cells[:width]
    return cells + tuple(TableCell("", 0) for _ in range(width - len(cells)))


def _headings(raw: list[tuple[int, int, str]], line_count: int) -> tuple[Heading, ...]:
    parents: list[int | None] = []
    stack: list[int] = []
    for index, (level, _line, _text) in enumerate(raw):
        while stack and raw[stack[-1]][0] >= level:
            stack.pop()
        parents.append(stack[-1] if stack else None)
        stack.append(index)
    ends = [line_count] * len(raw)
    open_sections: list[int] = []
    for index, (level, line, _text) in enumerate(raw):
        while open_sections and raw[open_sections[-1]][0] >= level:
            ends[open_sections.pop()] = line - 1
        open_sections.append(index)
    seen: dict[str, int] = {}
    headings: list[Heading] = []
    for index, (level, line, text) in enumerate(raw):
        base = github_slug(text)
        count = seen.get(base, 0)
        seen[base] = count + 1
        slug = base if count == 0 else f"{base}-{count}"
        headings.append(
            Heading(index, level, line, text, section_key(text), slug, parents[index], ends[index])
        )
    return tuple(headings)


def _split_comments(
    content: str, start: int, lines: tuple[str, ...]
) -> tuple[list[HtmlComment], str]:
    comments: list[HtmlComment] = []
    rest: list[str] = []
    cursor = 0
    while True:
        opening = content.find("<!--", cursor)
        if opening < 0:
            rest.append(content[cursor:])
            break
        closing = content.find("-->", opening + 4)
        end = len(content) if closing < 0 else closing + 3
        rest.append(content[cursor:opening])
        line = start + content.count("\n", 0, opening)
        raw = lines[line] if line < len(lines) else ""
        column = max(raw.find("<!--"), 0) + 1
        end_line = start + content.count("\n", 0, end) + 1
        comments.append(HtmlComment(line + 1, end_line, column, content[opening:end]))
        cursor = end
    return comments, "".join(rest)


def _comment(comment: InlineComment) -> HtmlComment:
    return HtmlComment(comment.line, comment.end_line, comment.column, comment.content)
