"""Server-side SVG charts: plain values in, an SVG string out.

Pure (no models, no I/O). The CSP forbids inline styles, so colours come from classes styled in
``static/css/dashboard.css`` (``series-<key>``); geometry uses presentation attributes only.
Every chart carries a ``<title>`` and ``<desc>`` so a screen reader gets the numbers too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Bar", "bar_chart", "nice_ceiling", "stacked_bar_chart"]

WIDTH = 640
HEIGHT = 240
MARGIN_LEFT = 40
MARGIN_RIGHT = 12
MARGIN_TOP = 12
MARGIN_BOTTOM = 44
LEGEND_ROW = 18
_CLASS_SAFE = re.compile(r"[^a-z0-9_-]+")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten that is at least ``value`` (1 for nothing)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _css_key(key: str) -> str:
    return _CLASS_SAFE.sub("-", key.lower()).strip("-") or "x"


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _fmt(value: float) -> str:
    """Coordinates with at most one decimal, so the SVG stays small and diffable."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _open(title: str, description: str, height: int, extra_class: str) -> list[str]:
    return [
        f'<svg class="chart {extra_class}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description)}</desc>",
    ]


def _axis(top: float, maximum: float, plot_bottom: float) -> list[str]:
    """Horizontal gridlines with their values, at quarters of the (nice) maximum."""
    parts = []
    plot_height = plot_bottom - top
    for i in range(5):
        value = maximum * i / 4
        y = plot_bottom - plot_height * i / 4
        parts.append(
            f'<line class="grid" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" '
            f'y1="{_fmt(y)}" y2="{_fmt(y)}"/>'
        )
        parts.append(
            f'<text class="tick" x="{MARGIN_LEFT - 6}" y="{_fmt(y + 4)}" '
            f'text-anchor="end">{_number(value)}</text>'
        )
    return parts


def _x_labels(labels: Sequence[str], slot: float, y: float) -> list[str]:
    # Thin out labels so they never overlap: about one per 56 px.
    every = max(1, math.ceil(56 / slot)) if slot > 0 else 1
    return [
        f'<text class="tick" x="{_fmt(MARGIN_LEFT + slot * (i + 0.5))}" y="{_fmt(y)}" '
        f'text-anchor="middle">{escape(label)}</text>'
        for i, label in enumerate(labels)
        if i % every == 0
    ]


def _empty(parts: list[str], top: float, bottom: float) -> list[str]:
    middle = (top + bottom) / 2
    return [
        *parts,
        f'<text class="empty" x="{WIDTH / 2:.0f}" y="{middle:.0f}" '
        'text-anchor="middle">No data yet</text>',
        "</svg>",
    ]


def bar_chart(bars: Sequence[Bar], *, title: str, unit: str = "", series: str = "bar") -> str:
    """Vertical bars, one per label (a histogram when the labels are buckets)."""
    total = sum(b.value for b in bars)
    description = "; ".join(f"{b.label}: {_number(b.value)}{unit}" for b in bars) or "no data"
    parts = _open(title, description, HEIGHT, "bar-chart")
    plot_bottom = HEIGHT - MARGIN_BOTTOM
    if not bars or total == 0:
        return "".join(_empty(parts, MARGIN_TOP, plot_bottom))
    maximum = nice_ceiling(max(b.value for b in bars))
    parts += _axis(MARGIN_TOP, maximum, plot_bottom)
    slot = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / len(bars)
    plot_height = plot_bottom - MARGIN_TOP
    css = _css_key(series)
    for i, bar in enumerate(bars):
        height = plot_height * bar.value / maximum
        x = MARGIN_LEFT + slot * i + slot * 0.12
        parts.append(
            f'<rect class="series-{css}" x="{_fmt(x)}" y="{_fmt(plot_bottom - height)}" '
            f'width="{_fmt(slot * 0.76)}" height="{_fmt(height)}">'
            f"<title>{escape(bar.label)}: {_number(bar.value)}{escape(unit)}</title></rect>"
        )
        if bar.value and slot >= 28:
            parts.append(
                f'<text class="value" x="{_fmt(x + slot * 0.38)}" '
                f'y="{_fmt(plot_bottom - height - 3)}" text-anchor="middle">'
                f"{_number(bar.value)}</text>"
            )
    parts += _x_labels([b.label for b in bars], slot, plot_bottom + 16)
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[int]],
    *,
    title: str,
    names: Mapping[str, str] | None = None,
) -> str:
    """One bar per label, stacked by series in the mapping's order, with a legend below.

    ``series`` maps a key (used for the CSS class ``series-<key>``) to one value per label;
    ``names`` gives each key its legend text (the key itself otherwise).
    """
    names = names or {}
    for key, values in series.items():
        if len(values) != len(labels):
            raise ValueError(f"series {key!r} has {len(values)} values for {len(labels)} labels")
    legend_rows = math.ceil(len(series) / 4)
    svg_height = HEIGHT + LEGEND_ROW * legend_rows
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    description = "; ".join(
        f"{label}: "
        + ", ".join(f"{names.get(k, k)} {v[i]}" for k, v in series.items() if v[i])
        + (" (none)" if not totals[i] else "")
        for i, label in enumerate(labels)
    )
    parts = _open(title, description or "no data", svg_height, "stacked-chart")
    plot_bottom = HEIGHT - MARGIN_BOTTOM
    if not labels or not any(totals):
        return "".join(_empty(parts, MARGIN_TOP, plot_bottom))
    maximum = nice_ceiling(max(totals))
    parts += _axis(MARGIN_TOP, maximum, plot_bottom)
    slot = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / len(labels)
    plot_height = plot_bottom - MARGIN_TOP
    for i, label in enumerate(labels):
        y = float(plot_bottom)
        for key, values in series.items():
            if not values[i]:
                continue
            height = plot_height * values[i] / maximum
            y -= height
            parts.append(
                f'<rect class="series-{_css_key(key)}" x="{_fmt(MARGIN_LEFT + slot * i + 1)}" '
                f'y="{_fmt(y)}" width="{_fmt(max(slot - 2, 1))}" height="{_fmt(height)}">'
                f"<title>{escape(label)}: {escape(names.get(key, key))} {values[i]}</title></rect>"
            )
    parts += _x_labels(labels, slot, plot_bottom + 16)
    parts += _legend([(key, names.get(key, key)) for key in series], HEIGHT - 10)
    parts.append("</svg>")
    return "".join(parts)


def _legend(entries: Sequence[tuple[str, str]], top: float) -> list[str]:
    parts = []
    column = (WIDTH - MARGIN_LEFT) / 4
    for i, (key, name) in enumerate(entries):
        x = MARGIN_LEFT + column * (i % 4)
        y = top + LEGEND_ROW * (i // 4)
        parts.append(
            f'<rect class="series-{_css_key(key)}" x="{_fmt(x)}" y="{_fmt(y)}" '
            'width="12" height="12"/>'
            f'<text class="legend" x="{_fmt(x + 18)}" y="{_fmt(y + 10)}">{escape(name)}</text>'
        )
    return parts
