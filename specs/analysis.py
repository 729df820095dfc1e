"""Render + lint one version's text and map the results onto SpecVersion's stored columns.

The pure renderer and linter know nothing of models; this is the one place that turns their
frozen results into what a version stores, so the web process and the worker store alike.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from core.metrics import LINT_SECONDS, RENDER_SECONDS
from speclint import LINTER_VERSION
from speclint.document import Document, document_from_tokens, parse_document
from specs.images.findings import image_findings
from specs.models import Profile, RenderState, SpecVersion
from specs.profiles import linter_profile
from specs.rendering import RENDERER_VERSION, render_markdown
from specs.rendering.document import RenderedDocument
from specs.rendering.guard import (
    document_from_dict,
    render_source_as_escaped_html,
    run_with_time_limit,
)
from specs.rendering.render import render_parsed
from specs.rendering.shared import SharedParse, parse_once
from specs.structures import extract_structures

logger = logging.getLogger(__name__)

RESULT_FIELDS = [
    "render_state",
    "rendered_html",
    "toc",
    "outline",
    "front_matter",
    "render_error",
    "rendered_at",
    "lint_profile",
    "lint_findings",
    "lint_errors",
    "lint_warnings",
    "lint_infos",
    "linted_at",
    "renderer_version",
    "linter_version",
    "structures",
]


@dataclass(frozen=True)
class AnalysisResult:
    values: dict[str, Any]

    def apply_to(self, version: SpecVersion) -> None:
        for field, value in self.values.items():
            setattr(version, field, value)


def analyse(
    text: str,
    *,
    profile: Profile,
    seconds: float | None = None,
    attachments: Mapping[str, str] | None = None,
) -> AnalysisResult:
    """Render, lint and extract the review structures of `text`, all under one hard limit.

    `attachments` ({path: URL}) are the version's files: images naming them are shown, the
    others are reported (`image-missing`).

    Each of the three is pure Python over hostile input, so the whole analysis runs in a child
    process the guard kills at `seconds` (the render limit by default): no upload or preview
    can hold a web worker longer than that.
    """
    limit = settings.SPEC_RENDER_TIME_LIMIT_SECONDS if seconds is None else seconds
    linter = linter_profile(profile)  # here: reading the profile may query the database
    now = timezone.now()
    values: dict[str, Any] = {
        "rendered_at": now,
        "linted_at": now,
        "renderer_version": RENDERER_VERSION,
        "linter_version": LINTER_VERSION,
    }

    def work() -> bytes:
        done = _analyse_in_child(text, linter, profile.name, attachments or {})
        return json.dumps(done, default=str).encode()

    outcome = run_with_time_limit(work, seconds=limit)
    if outcome.payload is None:
        logger.warning("analysis failed", extra={"reason": outcome.failure})
        values.update(_render_failed(text, outcome.failure))
        values.update(_lint_result(_crash_finding(LINT_TIMED_OUT), profile.name))
        values["structures"] = {}
        return AnalysisResult(values)
    done = json.loads(outcome.payload)
    RENDER_SECONDS.observe(done["seconds"]["render"])
    LINT_SECONDS.observe(done["seconds"]["lint"])
    if done["document"] is not None:
        values.update(_rendered(document_from_dict(done["document"])))
    else:
        logger.warning("render failed", extra={"reason": done["render_failure"]})
        values.update(_render_failed(text, done["render_failure"]))
    values.update(done["lint"])
    values["structures"] = done["structures"]
    return AnalysisResult(values)


def _analyse_in_child(
    text: str, linter, profile_name: str, attachments: Mapping[str, str]
) -> dict[str, Any]:
    started = time.perf_counter()
    shared = _parse_once(text, attachments)
    # The linter reads the shared tokens first: the renderer's passes then rewrite them
    # (link targets, task items) in place.
    parsed = document_from_tokens(shared.text, shared.tokens) if shared is not None else None
    reading = time.perf_counter() - started
    rendered: RenderedDocument | None = None
    try:
        if shared is not None and shared.renderable:
            rendered = render_parsed(text, shared.tokens, shared.env)
        else:
            rendered = render_markdown(text, attachments)
        failure = None
    except MemoryError:
        raise
    except Exception as error:
        failure = f"render failed: {type(error).__name__}"
    render_done = time.perf_counter()
    # One parse serves the linter and the review structures (and, without raw HTML, the renderer).
    if parsed is None:
        parsed = parse_document(text)
    lint = _lint_with(parsed, linter, profile_name)
    if rendered is not None:
        _add_findings(lint, image_findings(rendered.images, rendered.outline))
    return {
        "document": asdict(rendered) if rendered is not None else None,
        "render_failure": failure,
        "lint": lint,
        "structures": extract_structures(parsed),
        # Observed by the parent: this child is forked per analysis and its own metric files
        # would pile up in the multiprocess folder. The shared parse counts as rendering.
        "seconds": {
            "render": render_done - started - reading,
            "lint": time.perf_counter() - render_done + reading,
        },
    }


def _parse_once(text: str, attachments: Mapping[str, str]) -> SharedParse | None:
    """The linter's parse, which the renderer uses too unless the source holds raw HTML; None
    if it failed: then each side parses on its own, failing as it always did."""
    try:
        return parse_once(text, attachments)
    except MemoryError:
        raise
    except Exception:
        return None


def _add_findings(lint: dict[str, Any], findings: list[dict[str, Any]]) -> None:
    """Merge app-side findings (images) into the linter's, in line order, and recount."""
    if not findings:
        return
    merged = sorted(lint["lint_findings"] + findings, key=lambda f: (f["line"], f["column"]))
    lint["lint_findings"] = merged
    for severity, key in (
        ("error", "lint_errors"),
        ("warning", "lint_warnings"),
        ("info", "lint_infos"),
    ):
        lint[key] = sum(1 for f in merged if f["severity"] == severity and not f["suppressed"])


def _rendered(document: RenderedDocument) -> dict[str, Any]:
    return {
        "render_state": RenderState.RENDERED,
        "rendered_html": document.html,
        "toc": [asdict(entry) for entry in document.toc],
        "outline": [asdict(section) for section in document.outline],
        "front_matter": [list(pair) for pair in document.front_matter],
        "render_error": "",
    }


def _render_failed(text: str, failure: str | None) -> dict[str, Any]:
    return {
        "render_state": RenderState.FAILED,
        "rendered_html": render_source_as_escaped_html(text),
        "toc": [],
        "outline": [],
        "front_matter": [],
        "render_error": (failure or "could not render")[:500],
    }


def lint(document: Document, *, profile: Profile) -> dict[str, Any]:
    return _lint_with(document, linter_profile(profile), profile.name)


LINT_CRASHED = "The linter failed on this version; it has been logged."
LINT_TIMED_OUT = "Analysing this version ran past its time limit; the linter could not finish."


def _lint_with(document: Document, linter, profile_name: str) -> dict[str, Any]:
    from speclint import lint_document

    try:
        result = lint_document(document, profile=linter, path=profile_name)
    except Exception:
        # A linter bug must not lose the upload: the version lands with one error finding
        # saying so, which also blocks submitting it for review until someone looks.
        logger.exception("linter crashed", extra={"profile": profile_name})
        return _lint_result(_crash_finding(LINT_CRASHED), profile_name)
    return _counted(result)


def _crash_finding(message: str):
    from speclint import Finding

    return Finding(
        rule="linter-crashed", severity="error", line=1, end_line=1, column=1, message=message
    )


def _lint_result(finding, profile_name: str) -> dict[str, Any]:
    from speclint import LintResult

    return _counted(LintResult(path=profile_name, profile=profile_name, findings=(finding,)))


def _counted(result) -> dict[str, Any]:
    return {
        "lint_profile": result.profile,
        "lint_findings": [asdict(finding) for finding in result.findings],
        "lint_errors": result.counts["error"],
        "lint_warnings": result.counts["warning"],
        "lint_infos": result.counts["info"],
    }
