"""Render + lint one version's text and map the results onto SpecVersion's stored columns.

The pure renderer and linter know nothing of models; this is the one place that turns their
frozen results into what a version stores, so the web process and the worker store alike.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from specs.lint.document import Document, parse_document
from specs.models import Profile, RenderState, SpecVersion
from specs.profiles import linter_profile
from specs.rendering.guard import render_source_as_escaped_html, render_with_time_limit
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
    "structures",
]


@dataclass(frozen=True)
class AnalysisResult:
    values: dict[str, Any]

    def apply_to(self, version: SpecVersion) -> None:
        for field, value in self.values.items():
            setattr(version, field, value)


def analyse(text: str, *, profile: Profile) -> AnalysisResult:
    now = timezone.now()
    values: dict[str, Any] = {"rendered_at": now, "linted_at": now}
    outcome = render_with_time_limit(text, seconds=settings.SPEC_RENDER_TIME_LIMIT_SECONDS)
    if outcome.document is not None:
        document = outcome.document
        values.update(
            render_state=RenderState.RENDERED,
            rendered_html=document.html,
            toc=[asdict(entry) for entry in document.toc],
            outline=[asdict(section) for section in document.outline],
            front_matter=[list(pair) for pair in document.front_matter],
            render_error="",
        )
    else:
        logger.warning("render failed", extra={"reason": outcome.failure})
        values.update(
            render_state=RenderState.FAILED,
            rendered_html=render_source_as_escaped_html(text),
            toc=[],
            outline=[],
            front_matter=[],
            render_error=(outcome.failure or "could not render")[:500],
        )
    # One parse serves the linter and the review structures.
    parsed = parse_document(text)
    values.update(lint(parsed, profile=profile))
    values["structures"] = extract_structures(parsed)
    return AnalysisResult(values)


def lint(document: Document, *, profile: Profile) -> dict[str, Any]:
    from specs.lint import Finding, LintResult, lint_document

    try:
        result = lint_document(document, profile=linter_profile(profile), path=profile.name)
    except Exception:
        # A linter bug must not lose the upload: the version lands with one error finding
        # saying so, which also blocks submitting it for review until someone looks.
        logger.exception("linter crashed", extra={"profile": profile.name})
        crashed = Finding(
            rule="linter-crashed",
            severity="error",
            line=1,
            end_line=1,
            column=1,
            message="The linter failed on this version; it has been logged.",
        )
        result = LintResult(path=profile.name, profile=profile.name, findings=(crashed,))
    return {
        "lint_profile": result.profile,
        "lint_findings": [asdict(finding) for finding in result.findings],
        "lint_errors": result.counts["error"],
        "lint_warnings": result.counts["warning"],
        "lint_infos": result.counts["info"],
    }
