"""The parser and the token passes that run between parsing and HTML rendering.

Each pass is linear in the number of tokens: the stock task-list plugin walks back to the
parent list for every item, which made a 64 KB checklist cost five seconds, so it is
replaced here.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore, normalize
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from . import html_rules
from .front_matter import parse_front_matter
from .images import names_index, resolve_image
from .sanitise import EXTERNAL_LINK_REL, is_allowed_href
from .slugs import ANCHOR_PREFIX, Slugger, anchor_for

# Tokens that become a block element carrying data-source-line/-end in the output.
LINED_TOKENS = frozenset(
    {
        "paragraph_open",
        "heading_open",
        "bullet_list_open",
        "ordered_list_open",
        "list_item_open",
        "table_open",
        "tr_open",
        "blockquote_open",
        "hr",
        "code_block",
        "fence",
        "front_matter",
    }
)

_TASK_MARKER = re.compile(r"\[([ xX])\][ \t\n\v\f\r]")
_ALIGN = re.compile(r"text-align:(left|center|right)")


def build_parser() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark",
        {"html": False, "linkify": False, "typographer": False, "xhtmlOut": False},
    )
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    md.use(footnote_plugin)
    for name, rule in SPEC_PASSES:
        md.core.ruler.push(name, rule)
    html_rules.install(md)
    return md


def run_spec_passes(state: StateCore) -> None:
    """The passes `build_parser` appends to markdown-it's core chain, run over tokens parsed
    elsewhere (`specs.rendering.shared`): normalising the source first, as the chain does."""
    normalize(state)
    for _name, rule in SPEC_PASSES:
        rule(state)


def source_line_range(token_map: list[int], lines: list[str]) -> tuple[int, int]:
    """1-based inclusive lines for a token map, without the blank lines a block swallows."""
    start, end = token_map
    last = end - 1
    while last > start and last < len(lines) and not lines[last].strip():
        last -= 1
    return start + 1, max(last + 1, start + 1)


def inline_text(token: Token) -> str:
    """The reader-visible text of an inline token: what a heading says without its markup."""
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(inline_text(child))
    return "".join(parts).strip()


def _front_matter(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "front_matter":
            pairs = parse_front_matter(token.content)
            token.meta["pairs"] = pairs
            state.env["front_matter"] = pairs


def _task_lists(state: StateCore) -> None:
    tokens = state.tokens
    open_lists: list[Token] = []
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            open_lists.append(token)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            open_lists.pop()
        elif (
            token.type == "inline"
            and index >= 2
            and tokens[index - 1].type == "paragraph_open"
            and tokens[index - 2].type == "list_item_open"
            and open_lists
            and _make_task_item(token)
        ):
            tokens[index - 2].attrSet("class", "task-list-item")
            open_lists[-1].attrSet("class", "contains-task-list")


def _make_task_item(inline: Token) -> bool:
    children = inline.children
    if not children or children[0].type != "text":
        return False
    marker = _TASK_MARKER.match(inline.content)
    if marker is None or not children[0].content.startswith(marker.group(0)[:3]):
        return False
    checkbox = Token("task_checkbox", "input", 0)
    checkbox.meta["checked"] = marker.group(1) in "xX"
    children[0].content = children[0].content[3:]
    children.insert(0, checkbox)
    return True


def _heading_anchors(state: StateCore) -> None:
    slugger = Slugger()
    headings: list[dict[str, Any]] = []
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        title = inline_text(tokens[index + 1])
        anchor = anchor_for(slugger.slug(title))
        token.attrSet("id", anchor)
        if token.level == 0 and token.map:
            level = int(token.tag[1])
            headings.append(
                {"level": level, "title": title, "anchor": anchor, "line": token.map[0] + 1}
            )
    state.env["headings"] = headings


def _links(state: StateCore) -> None:
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        for child in token.children:
            if child.type != "link_open":
                continue
            href = str(child.attrGet("href") or "")
            if href.startswith("#"):
                # Headings carry prefixed ids, so author-written fragments must follow them.
                if len(href) > 1:
                    child.attrSet("href", "#" + ANCHOR_PREFIX + href[1:])
            elif is_allowed_href(href):
                child.attrSet("rel", EXTERNAL_LINK_REL)
            else:
                # A relative path has nothing to point at here; keep the text, drop the link.
                child.attrs.pop("href", None)


def _images(state: StateCore) -> None:
    """Resolve every image against the version's attachments (``env["attachments"]``) and
    list them in ``env["images"]``: the renderer draws each by its status, lint reports the
    missing ones."""
    attachments = state.env.get("attachments") or {}
    names = names_index(attachments)
    found: list[dict[str, Any]] = []
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        line = token.map[0] + 1 if token.map else 1
        # Only the inline's own children: an image inside another's alt text is text there.
        for child in token.children:
            if child.type != "image":
                continue
            src = str(child.attrGet("src") or "")
            status, path, url = resolve_image(src, attachments, names)
            child.meta["image"] = {"status": status, "url": url}
            found.append({"src": src, "line": line, "status": status, "path": path})
    state.env["images"] = found


def _table_alignment(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("th_open", "td_open"):
            style = token.attrs.pop("style", None)
            match = _ALIGN.fullmatch(str(style)) if style else None
            if match:
                token.attrSet("class", f"align-{match.group(1)}")


def _source_lines(state: StateCore) -> None:
    lines = state.src.split("\n")
    for token in state.tokens:
        if token.type in LINED_TOKENS and token.map:
            first, last = source_line_range(token.map, lines)
            token.attrSet("data-source-line", str(first))
            token.attrSet("data-source-end", str(last))


SPEC_PASSES = (
    ("spec_front_matter", _front_matter),
    ("spec_task_lists", _task_lists),
    ("spec_heading_anchors", _heading_anchors),
    ("spec_links", _links),
    ("spec_images", _images),
    ("spec_table_alignment", _table_alignment),
    ("spec_source_lines", _source_lines),
)
