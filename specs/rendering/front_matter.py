"""YAML front matter as key/value pairs, shown as a small table instead of stray text."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

import yaml
from markdown_it.common.utils import escapeHtml

# YAML aliases let a few lines describe an exponentially large value; never walk past this.
MAX_VALUE_CHARS = 500


def parse_front_matter(source: str) -> tuple[tuple[str, str], ...]:
    """Pairs from a YAML mapping; a block that is not one comes back as a single raw pair."""
    try:
        data = yaml.safe_load(source)
    except (yaml.YAMLError, ValueError, RecursionError):
        # ValueError: integers past Python's digit limit; RecursionError: deeply nested flow.
        data = None
    if not isinstance(data, Mapping):
        stripped = source.strip()
        return (("front matter", _clip(stripped)),) if stripped else ()
    return tuple((_clip(_flatten(key)), _flatten(value)) for key, value in data.items())


def front_matter_html(pairs: tuple[tuple[str, str], ...], line_attrs: str) -> str:
    rows = "".join(
        f"<tr><th>{escapeHtml(key)}</th><td>{escapeHtml(value)}</td></tr>\n" for key, value in pairs
    )
    return (
        f'<div class="front-matter"{line_attrs}>\n'
        f'<table class="front-matter-table">\n<tbody>\n{rows}</tbody>\n</table>\n</div>\n'
    )


def _flatten(value: object) -> str:
    parts: list[str] = []
    _write(value, parts, [MAX_VALUE_CHARS + 1])
    return _clip("".join(parts))


def _write(value: object, out: list[str], budget: list[int]) -> None:
    """Appends a readable rendering of `value`, stopping once `budget` characters are spent."""
    if budget[0] <= 0:
        return
    if isinstance(value, Mapping):
        for index, (key, item) in enumerate(value.items()):
            _emit("; " if index else "", out, budget)
            _emit(f"{key}: ", out, budget)
            _write(item, out, budget)
            if budget[0] <= 0:
                return
    elif isinstance(value, list | tuple | set):
        for index, item in enumerate(value):
            _emit(", " if index else "", out, budget)
            _write(item, out, budget)
            if budget[0] <= 0:
                return
    elif value is None:
        _emit("", out, budget)
    elif isinstance(value, bool):
        _emit("true" if value else "false", out, budget)
    elif isinstance(value, datetime.date):
        _emit(value.isoformat(), out, budget)
    else:
        _emit(str(value), out, budget)


def _emit(text: str, out: list[str], budget: list[int]) -> None:
    out.append(text[: max(budget[0], 0)])
    budget[0] -= len(text)


def _clip(text: str) -> str:
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"
