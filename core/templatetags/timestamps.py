"""Date formats for long tables, without Django's general-purpose formatter.

`{{ value|date:"j M Y" }}` builds a formatter, looks up translated month names and walks the
format string for every cell: 850 of them were a fifth of the dashboard's CPU. `stamp` gives
the same text for the few formats the tables use (English, like the rest of the site), and
says so loudly for any other (tests/core/test_timestamps.py compares both, format by format).
"""

from __future__ import annotations

import datetime

from django import template

register = template.Library()

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

FORMATS = {
    "c": lambda d: d.isoformat(),
    "j M Y": lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    "j M Y H:i": lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year} {d.hour:02d}:{d.minute:02d}",
    "j M H:i": lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.hour:02d}:{d.minute:02d}",
    "D j M": lambda d: f"{DAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]}",
}


@register.filter(expects_localtime=True, is_safe=False)
def stamp(value: datetime.date | datetime.datetime | None, fmt: str) -> str:
    """Like Django's ``date`` filter for the formats in FORMATS ("" for no value)."""
    if value in (None, ""):
        return ""
    try:
        return FORMATS[fmt](value)
    except KeyError:
        raise template.TemplateSyntaxError(f"stamp does not know the format {fmt!r}") from None
