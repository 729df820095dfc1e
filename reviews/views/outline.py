"""The review page's outline: the version's contents, with the sections that changed since the
reader last looked marked (`]` / `[` walk them, static/js/spec.js)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property

from specs.diffing.fingerprints import changed_sections, opening_headings
from specs.models import Spec, SpecVersion

# What a mark says: a section the earlier version had, changed, or one it did not have.
MARK_WORDS = {"changed": "changed", "added": "new"}


@dataclass(frozen=True)
class OutlineEntry:
    level: int
    title: str
    anchor: str
    mark: str = ""  # "changed", "new", or "" (unchanged, a sub-heading, or nothing compared)


@dataclass(frozen=True)
class Outline:
    entries: tuple[OutlineEntry, ...]
    since: int | None = None  # the version the marks compare with

    @cached_property
    def marked(self) -> tuple[OutlineEntry, ...]:
        return tuple(entry for entry in self.entries if entry.mark)

    @property
    def last_marked(self) -> OutlineEntry | None:
        return self.marked[-1] if self.marked else None


def outline_since(
    version: SpecVersion, since: int | None, seen_hashes: Mapping[str, str] | None
) -> Outline:
    """The contents of `version`, each section whose text differs from version `since`'s
    (`seen_hashes`, its section hashes) marked on its heading; nothing marked without both.

    Reads the version's source (to place each section on its heading), so the page calls it
    only when the outline's cached fragment is missing.
    """
    toc = version.toc or []
    marks: dict[int, str] = {}
    if since is not None and seen_hashes is not None:
        changed = changed_sections(seen_hashes, version.section_hashes or {})
        if changed:
            opened = opening_headings(version.source, (entry.get("line", 0) for entry in toc))
            marks = {line: MARK_WORDS[changed[k]] for line, k in opened.items() if k in changed}
    entries = tuple(
        OutlineEntry(
            entry["level"], entry["title"], entry["anchor"], marks.get(entry.get("line", 0), "")
        )
        for entry in toc
    )
    return Outline(entries, since if marks else None)


def versions_and_outline(spec: Spec, version: SpecVersion, last_seen: int | None) -> dict:
    """The full page's version list and outline, given the version this person had looked at
    before this visit (`last_seen`).

    Only a current version newer than that says what changed since (`changed_since`); the
    hashes to compare with come with the version list, and the outline is computed only when
    the template's cached fragment for (this version, `changed_since`) is missing.
    """
    is_newer = version.pk == spec.current_version_id and last_seen and last_seen < version.number
    since = last_seen if is_newer else None

    # Both lazy: the list is shown in a part kept per state (reviews.page_cache), the outline
    # in a fragment kept per version pair; either is loaded only when its part is built.
    @cache
    def versions() -> list[SpecVersion]:
        return list(SpecVersion.objects.filter(spec=spec).listing().with_section_hashes_of(since))

    def outline() -> Outline:
        if since is None:
            return outline_since(version, None, None)
        seen_hashes = next(
            (v.compared_hashes for v in versions() if v.number == since),  # type: ignore[attr-defined]
            None,
        )
        return outline_since(version, since, seen_hashes)

    return {
        "versions": versions,
        "last_seen": last_seen,
        "changed_since": since,
        "outline": cache(outline),
    }
