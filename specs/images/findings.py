"""Lint findings for a version's images, from what the renderer resolved.

The linter proper (`speclint`) never sees attachments, so the app adds these to a version's
stored findings in its analysis step. Rule `image-missing` (docs/lint-rules.md). Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from specs.rendering import OutlineSection
from specs.rendering.images import ImageReference

RULE = "image-missing"
SEVERITY = "warning"
# A hostile 64 KB upload can hold thousands of broken images; past this many, one says the rest.
MAX_FINDINGS = 100


def image_findings(
    images: Iterable[ImageReference], outline: Iterable[OutlineSection]
) -> list[dict[str, Any]]:
    """One finding per image the page cannot show: its file is not attached, or its address
    is one we never load (``data:``, ``file:``, a path climbing out with ``..``)."""
    sections = list(outline)
    findings: list[dict[str, Any]] = []
    unshown = [image for image in images if image.status in ("missing", "refused")]
    for image in unshown[:MAX_FINDINGS]:
        if image.status == "missing":
            message = (
                f"Image '{image.src}' is not attached to this version: upload "
                f"'{image.path}' with the version, or fix the path."
            )
        else:
            message = (
                f"Image '{image.src[:80]}' cannot be shown: attach the file and refer to it "
                "by a relative path (data:, file: and other addresses are never loaded)."
            )
        findings.append(_finding(image.line, message, sections))
    if len(unshown) > MAX_FINDINGS:
        rest = unshown[MAX_FINDINGS]
        message = f"…and {len(unshown) - MAX_FINDINGS} more images that cannot be shown."
        findings.append(_finding(rest.line, message, sections))
    return findings


def _finding(line: int, message: str, sections: list[OutlineSection]) -> dict[str, Any]:
    return {
        "rule": RULE,
        "severity": SEVERITY,
        "line": line,
        "end_line": line,
        "column": 1,
        "message": message,
        "section": _section_of(line, sections),
        "suppressed": False,
        "suppression_reason": None,
    }


def _section_of(line: int, sections: list[OutlineSection]) -> str | None:
    # The innermost section holding the line: the last one that starts at or before it.
    holding = [s for s in sections if s.start_line <= line <= s.end_line]
    return holding[-1].title if holding else None
