"""One markdown-it parse for both the renderer and the linter, when that provably changes
neither result.

The two parsers differ in one option: the linter parses raw HTML (comments carry its
suppressions, `<owner name>` is a placeholder it judges), the renderer does not (raw HTML is
text there). markdown-it reads that option in exactly two rules, `html_block` and
`html_inline`; with it off both return False at once, with it on a call that returns False
has changed nothing. So a parse with HTML on in which neither rule ever matched (in either
mode: a silent match ends a paragraph or skips a link label) took every step the HTML-off
parse takes, and its tokens are the renderer's. The parse here watches the two rules; when
one matched, `parse_once` returns None and the caller parses twice, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.ruler import Ruler
from markdown_it.token import Token

from speclint.document import build_markdown, normalise_text

_HTML_MATCHED = "spec_raw_html_matched"


@dataclass(frozen=True)
class SharedParse:
    tokens: list[Token]
    env: dict[str, Any]  # the renderer's env (attachments, footnotes) the parse filled


def parse_once(text: str, attachments: Mapping[str, str] | None = None) -> SharedParse | None:
    """The linter's parse of `text`, usable by the renderer too; None when it is not (the
    source holds raw HTML markdown-it recognised, or is not normalised yet)."""
    if normalise_text(text) != text:
        return None
    env: dict[str, Any] = {"attachments": dict(attachments or {})}
    tokens = _PARSER.parse(text, env)
    if env.pop(_HTML_MATCHED, False):
        return None
    return SharedParse(tokens, env)


def _noting_matches(rule: Callable[..., bool]) -> Callable[..., bool]:
    def noted(state: Any, *arguments: Any) -> bool:
        if rule(state, *arguments):
            state.env[_HTML_MATCHED] = True
            return True
        return False

    return noted


def _watch(ruler: Ruler[Any], name: str) -> None:
    index = ruler.__find__(name)
    if index < 0:
        raise LookupError(f"markdown-it has no rule {name!r} to watch")
    rule = ruler.__rules__[index]
    ruler.at(name, _noting_matches(rule.fn), {"alt": list(rule.alt)})


def _build() -> MarkdownIt:
    md = build_markdown()
    _watch(md.block.ruler, "html_block")
    _watch(md.inline.ruler, "html_inline")
    return md


_PARSER = _build()
