"""One markdown-it parse for both the renderer and the linter, when that provably changes
neither result.

The two parsers differ in one option: the linter parses raw HTML (comments carry its
suppressions, `<owner name>` is a placeholder it judges), the renderer does not (raw HTML is
text there). markdown-it reads that option in exactly two rules, `html_block` and
`html_inline`; with it off both return False at once, with it on a call that returns False
has changed nothing. So a parse with HTML on in which neither rule ever matched (in either
mode: a silent match ends a paragraph or skips a link label) took every step the HTML-off
parse takes, and its tokens are the renderer's. The parse here watches the two rules; when
one matched, the renderer parses on its own as before; the linter still reads this parse.
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
    text: str  # as the linter reads it (`normalise_text`)
    tokens: list[Token]
    env: dict[str, Any]  # the renderer's env (attachments, footnotes) the parse filled
    renderable: bool  # the tokens are the renderer's own parse of the original text


def parse_once(text: str, attachments: Mapping[str, str] | None = None) -> SharedParse:
    """The linter's parse of `text`, which the renderer may use too when `renderable`: no raw
    HTML markdown-it recognised, and `text` was normalised already (else the renderer would
    count other lines)."""
    normalised = normalise_text(text)
    env: dict[str, Any] = {"attachments": dict(attachments or {})}
    tokens = _PARSER.parse(normalised, env)
    html_matched = env.pop(_HTML_MATCHED, False)
    return SharedParse(normalised, tokens, env, not html_matched and normalised == text)


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
