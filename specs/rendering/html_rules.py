"""Renderer rules for the tokens whose stock HTML we do not want."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererProtocol
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from .front_matter import front_matter_html
from .highlight import render_fence
from .sanitise import EXTERNAL_LINK_REL, is_allowed_href
from .slugs import ANCHOR_PREFIX


def install(md: MarkdownIt) -> None:
    for name, rule in (
        ("fence", _fence),
        ("front_matter", _front_matter),
        ("image", _image),
        ("task_checkbox", _task_checkbox),
        ("footnote_ref", _footnote_ref),
        ("footnote_open", _footnote_open),
        ("footnote_anchor", _footnote_anchor),
    ):
        md.add_render_rule(name, rule)


def _line_attrs(token: Token) -> str:
    return "".join(
        f' {name}="{escapeHtml(str(token.attrs[name]))}"'
        for name in ("data-source-line", "data-source-end")
        if name in token.attrs
    )


def _fence(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    return render_fence(token.content, token.info, _line_attrs(token))


def _front_matter(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    pairs = token.meta.get("pairs") or ()
    return front_matter_html(pairs, _line_attrs(token)) if pairs else ""


def _image(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """An attached file is shown from this app; another host's image becomes a link to it (the
    reader's browser never fetches it); a missing file is a visible placeholder."""
    token = tokens[idx]
    resolved = token.meta.get("image") or {"status": "refused", "url": ""}
    alt = escapeHtml(_plain_text(token.children))
    title = token.attrGet("title")
    title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
    status, url = resolved["status"], resolved["url"]
    if status == "attached":
        return f'<img src="{escapeHtml(url)}" alt="{alt}"{title_attr}>'
    if status == "remote" and is_allowed_href(url):
        return (
            f'<a class="image-link" href="{escapeHtml(url)}" rel="{EXTERNAL_LINK_REL}"'
            f"{title_attr}>{alt or 'image'}</a>"
        )
    if status == "missing":
        src = escapeHtml(str(token.attrGet("src") or ""))
        return f'<span class="image-missing">{alt or "image"} (image not attached: {src})</span>'
    return alt or "image"


def _plain_text(children: list[Token] | None) -> str:
    parts: list[str] = []
    for child in children or ():
        if child.children:
            parts.append(_plain_text(child.children))
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


TASK_BOX = 'class="task-list-item-checkbox" type="checkbox" disabled'


def _task_checkbox(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    # A read-only checkbox still needs a name for assistive technology (axe: label).
    if tokens[idx].meta.get("checked"):
        return f'<input {TASK_BOX} checked aria-label="done">'
    return f'<input {TASK_BOX} aria-label="not done">'


# Footnotes get the same prefix as headings, so "fn1" cannot shadow a page global either.
def _footnote_number(token: Token) -> str:
    return str(token.meta["id"] + 1)


def _footnote_ref(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    number = _footnote_number(token)
    sub_id = token.meta.get("subId", -1)
    ref_id = f"{number}-{sub_id}" if sub_id > 0 else number
    caption = f"{number}:{sub_id}" if sub_id > 0 else number
    return (
        f'<sup class="footnote-ref"><a href="#{ANCHOR_PREFIX}fn{number}" '
        f'id="{ANCHOR_PREFIX}fnref{ref_id}">[{caption}]</a></sup>'
    )


def _footnote_open(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return f'<li id="{ANCHOR_PREFIX}fn{_footnote_number(tokens[idx])}" class="footnote-item">'


def _footnote_anchor(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    sub_id = token.meta.get("subId", -1)
    number = _footnote_number(token)
    ref_id = f"{number}-{sub_id}" if sub_id > 0 else number
    # U+FE0E keeps the arrow a glyph rather than an emoji on iOS.
    return f' <a href="#{ANCHOR_PREFIX}fnref{ref_id}" class="footnote-backref">\u21a9\ufe0e</a>'
