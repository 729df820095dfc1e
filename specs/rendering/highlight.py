"""Fenced code: Pygments with CSS classes (static/css/pygments.css), mermaid left to the browser."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it.common.utils import escapeHtml
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

# Class names Pygments may put on a <span>; the sanitiser keeps no others.
PYGMENTS_CLASSES = frozenset(name for name in STANDARD_TYPES.values() if name)

LANGUAGE_CLASS = re.compile(r"language-[a-z0-9][a-z0-9_+#.-]{0,39}")

# Lexing is regex-heavy; past this size a block is shown plain rather than risk the worker budget.
MAX_HIGHLIGHT_CHARS = 100_000

_FORMATTER = HtmlFormatter(nowrap=True)


def fence_language(info: str) -> str:
    """The first word of a fence's info string, lowercased: ``Python {.x}`` -> ``python``."""
    words = info.strip().split(maxsplit=1)
    return words[0].lower() if words else ""


def render_fence(code: str, info: str, line_attrs: str) -> str:
    """HTML for one fenced block; `line_attrs` is the rendered data-source-* attributes."""
    language = fence_language(info)
    if language == "mermaid":
        # Mermaid (securityLevel strict) reads the element's text: escaped source is all it needs.
        return f'<pre class="mermaid"{line_attrs}>{escapeHtml(code)}</pre>\n'
    class_attr = (
        f' class="language-{language}"' if LANGUAGE_CLASS.fullmatch(f"language-{language}") else ""
    )
    lexer = _lexer(language) if len(code) <= MAX_HIGHLIGHT_CHARS else None
    body = highlight(code, lexer, _FORMATTER) if lexer is not None else escapeHtml(code)
    return f'<pre class="highlight"{line_attrs}><code{class_attr}>{body}</code></pre>\n'


@lru_cache(maxsize=256)
def _lexer(language: str) -> Lexer | None:
    if not language:
        return None
    try:
        # stripnl=False keeps leading blank lines, so highlighted lines match source lines.
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None
