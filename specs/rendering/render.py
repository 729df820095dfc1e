"""`render_markdown`: Markdown in, sanitised HTML plus its table of contents and outline out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .document import ImageReference, OutlineSection, RenderedDocument, TocEntry
from .pipeline import build_parser, run_spec_passes
from .sanitise import sanitise_html

# Parsing keeps its state per call, so one configured parser serves every render.
_PARSER = build_parser()


def render_markdown(text: str, attachments: Mapping[str, str] | None = None) -> RenderedDocument:
    """Render a spec once, for storage; page views only ever read the stored result.

    `text` has CRLF/CR already turned into LF and any BOM stripped, so the line numbers in
    the output are the uploaded file's lines. `attachments` maps the version's attached file
    paths to the URLs that serve them (`specs.rendering.images.attachment_path` spelling).
    """
    env: dict[str, Any] = {"attachments": dict(attachments or {})}
    return _document(text, _PARSER.parse(text, env), env)


def render_parsed(text: str, tokens: list[Token], env: dict[str, Any]) -> RenderedDocument:
    """`render_markdown` over tokens already parsed (`specs.rendering.shared`): runs the
    renderer's own passes over them first, so they are rewritten in place."""
    state = StateCore(text, _PARSER, env)
    state.tokens = tokens
    run_spec_passes(state)
    return _document(text, state.tokens, env)


def _document(text: str, tokens: list[Token], env: dict[str, Any]) -> RenderedDocument:
    html = sanitise_html(_PARSER.renderer.render(tokens, _PARSER.options, env))
    headings = env.get("headings", [])
    return RenderedDocument(
        html=html,
        toc=tuple(
            TocEntry(level=h["level"], title=h["title"], anchor=h["anchor"], line=h["line"])
            for h in headings
        ),
        front_matter=tuple(env.get("front_matter", ())),
        outline=_outline(headings, text.split("\n")),
        images=tuple(ImageReference(**found) for found in env.get("images", ())),
    )


def _outline(headings: list[dict[str, Any]], lines: list[str]) -> tuple[OutlineSection, ...]:
    """Each heading owns the lines up to the next heading of the same or a higher rank."""
    ends: list[int] = [0] * len(headings)
    open_sections: list[int] = []  # indexes into headings, levels strictly increasing
    for position, heading in enumerate(headings):
        while open_sections and headings[open_sections[-1]]["level"] >= heading["level"]:
            ends[open_sections.pop()] = heading["line"] - 1
        open_sections.append(position)
    for position in open_sections:
        ends[position] = len(lines)
    return tuple(
        OutlineSection(
            title=heading["title"],
            level=heading["level"],
            anchor=heading["anchor"],
            start_line=heading["line"],
            end_line=max(heading["line"], _last_content_line(lines, end)),
        )
        for heading, end in zip(headings, ends, strict=True)
    )


def _last_content_line(lines: list[str], limit: int) -> int:
    """The last non-blank 1-based line at or before `limit`."""
    line = min(limit, len(lines))
    while line > 1 and not lines[line - 1].strip():
        line -= 1
    return line
