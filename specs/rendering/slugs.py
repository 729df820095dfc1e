"""Heading anchors the way GitHub makes them, so links copied from GitHub keep working.

This mirrors `github-slugger`: lowercase, drop every character that is not a letter, a
mark, a decimal or letter number, a connector (``_``), a hyphen or a space, turn spaces
into hyphens, and number repeats ``-1``, ``-2`` in document order.
"""

from __future__ import annotations

import unicodedata

ANCHOR_PREFIX = "spec-"

_KEPT_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "Pc"})


def github_slug(text: str) -> str:
    kept = (ch for ch in text.lower() if ch in "- " or unicodedata.category(ch) in _KEPT_CATEGORIES)
    return "".join(kept).replace(" ", "-")


class Slugger:
    """Hands out unique slugs for one document; make a new one per render."""

    def __init__(self) -> None:
        self._occurrences: dict[str, int] = {}

    def slug(self, text: str) -> str:
        original = github_slug(text)
        result = original
        # Same loop as github-slugger: a generated "a-1" may itself collide with a real "a-1".
        while result in self._occurrences:
            self._occurrences[original] += 1
            result = f"{original}-{self._occurrences[original]}"
        self._occurrences[result] = 0
        return result


def anchor_for(slug: str) -> str:
    """The element id for a slug: prefixed so no heading can clobber a page global."""
    return ANCHOR_PREFIX + slug
