"""What a reviewer sees when a version could not be rendered: its source, escaped, numbered."""

from __future__ import annotations

from markdown_it.common.utils import escapeHtml

from .sanitise import sanitise_html


def render_source_as_escaped_html(text: str) -> str:
    """One table row per source line, each carrying its line number like rendered blocks do."""
    lines = text.split("\n")
    if lines and lines[-1] == "" and len(lines) > 1:
        lines.pop()
    rows = "".join(
        f'<tr data-source-line="{number}" data-source-end="{number}">'
        f'<td class="line-number">{number}</td>'
        f'<td class="line-text"><code>{escapeHtml(line)}</code></td></tr>\n'
        for number, line in enumerate(lines, start=1)
    )
    # Through the same sanitiser as rendered HTML, so the page trusts exactly one kind of string.
    return sanitise_html(f'<table class="source-fallback">\n<tbody>\n{rows}</tbody>\n</table>\n')
