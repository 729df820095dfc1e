"""A fingerprint of each section of a version, so a later version can tell which it changed.

Whitespace is not content: a re-wrapped paragraph, re-indented list or trailing spaces hash the
same, so a re-wrap-only upload changes no section. Sections are the document's section-level
headings (the highest rank it uses more than once), each with everything up to the next one;
keys are the heading titles without their numbers and "(required)"-style suffixes, so
renumbering a section does not change it either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import replace

from .sections import _PREAMBLE, _headings, _outline, _plain, _split_number
from .values import TextDiff

# A key no heading can produce: titles lose their asterisks (and JSONB refuses NUL).
WHOLE_DOCUMENT = "*document*"


def normalised_title(title: str) -> str:
    """The key a section title is known by: lower case, numbers and trailing (notes) dropped."""
    _, bare = _split_number(_plain(title.strip().lstrip("#").strip()))
    return " ".join(bare.lower().split())


def section_fingerprints(text: str) -> dict[str, str]:
    """{section key: hash of its whitespace-normalised text}, plus one for the whole document."""
    lines = text.split("\n")
    bodies: dict[str, list[str]] = {}
    for line, key in zip(lines, line_sections(lines), strict=True):
        bodies.setdefault(key, []).append(line)
    prints = {key: _hash(body) for key, body in bodies.items()}
    prints[WHOLE_DOCUMENT] = _hash(lines)
    return prints


def line_sections(lines: list[str]) -> list[str]:
    """The key of the section each line belongs to."""
    headings = _headings(lines)
    repeated = [h.level for h in headings if sum(1 for o in headings if o.level == h.level) > 1]
    level = min(repeated or [h.level for h in headings] or [0])
    outline = _outline(lines, headings, level)
    return [_key(outline.keys[owner]) for owner in outline.owner]


def changed_sections(before: Mapping[str, str], after: Mapping[str, str]) -> dict[str, str]:
    """{key: "added" or "changed"} for each section of `after` whose text `before` did not
    have: what a reader of `before` has not read yet (sections `after` removed are not here)."""
    return {
        key: "changed" if key in before else "added"
        for key, digest in after.items()
        if key != WHOLE_DOCUMENT and before.get(key) != digest
    }


def opening_headings(text: str, heading_lines: Iterable[int]) -> dict[int, str]:
    """{line: section key} for the first of `heading_lines` (1-based, as the contents give
    them) in each section: the heading a section's mark belongs on; its sub-headings are left
    out, since a section's hash cannot say which part of it changed."""
    owners = line_sections(text.split("\n"))
    opened: dict[int, str] = {}
    seen: set[str] = set()
    for line in heading_lines:
        key = owners[line - 1] if 1 <= line <= len(owners) else None
        if key is not None and key not in seen:
            seen.add(key)
            opened[line] = key
    return opened


def only_sections(diff: TextDiff, new_text: str, keys: set[str]) -> TextDiff:
    """The diff limited to hunks that touch the given sections of the new version."""
    owners = line_sections(new_text.splitlines())

    def touches(hunk) -> bool:
        first = max(hunk.new_start - 1, 0)
        span = owners[first : first + max(hunk.new_count, 1)]
        return any(key in keys for key in span)

    return replace(diff, hunks=tuple(hunk for hunk in diff.hunks if touches(hunk)))


def _key(outline_key: str) -> str:
    # The outline numbers repeated titles ("notes\x002"); the first of a title keeps the bare key.
    if outline_key == _PREAMBLE:
        return "preamble"
    title, _, count = outline_key.partition("\0")
    return title if count in ("", "1") else f"{title} ({count})"


def _hash(lines: list[str]) -> str:
    return hashlib.sha256(" ".join(" ".join(lines).split()).encode()).hexdigest()[:16]
