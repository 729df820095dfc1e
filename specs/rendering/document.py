"""The values a render produces; stored with the version and read by the review page."""

from __future__ import annotations

from dataclasses import dataclass

from .images import ImageReference

__all__ = ["ImageReference", "OutlineSection", "RenderedDocument", "TocEntry"]


@dataclass(frozen=True, slots=True)
class TocEntry:
    level: int
    title: str
    anchor: str  # the element id, already prefixed: link to f"#{anchor}"
    line: int  # 1-based line of the heading in the uploaded file


@dataclass(frozen=True, slots=True)
class OutlineSection:
    """A heading and the lines it governs, up to the next heading of the same or a higher rank."""

    title: str
    level: int
    anchor: str
    start_line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class RenderedDocument:
    html: str  # sanitised; the only Markdown-derived string a template may mark safe
    toc: tuple[TocEntry, ...]
    front_matter: tuple[tuple[str, str], ...]
    outline: tuple[OutlineSection, ...]
    images: tuple[ImageReference, ...] = ()  # every image the text shows, in order
