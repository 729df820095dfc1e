"""``<!-- speclint-disable... -- reason -->`` comments: parse them and mark what they suppress.

A suppression must say why. One without a reason is reported (``suppression-reason``) and does
not suppress anything, so a gate can never be silenced without an auditable explanation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .document import Document
from .model import Finding
from .rules.registry import RULES, finding

__all__ = ["Suppression", "apply_suppressions", "parse_suppressions"]

_DIRECTIVE = re.compile(
    r"^<!--\s{0,20}speclint-(disable-next-line|disable|enable)(?![\w-])(.*?)-->$", re.DOTALL
)
_RULE_SEPARATORS = re.compile(r"[,\s]+")
_UNSUPPRESSIBLE = frozenset({"suppression-reason", "suppression-rule"})


@dataclass(frozen=True)
class Suppression:
    kind: str
    rules: frozenset[str]
    reason: str | None
    line: int
    end_line: int

    def covers(self, rule: str) -> bool:
        return not self.rules or rule in self.rules


def parse_suppressions(doc: Document) -> tuple[list[Suppression], list[Finding]]:
    suppressions: list[Suppression] = []
    problems: list[Finding] = []
    for comment in doc.comments:
        match = _DIRECTIVE.match(comment.content.strip())
        if not match:
            continue
        kind, body = match.group(1), match.group(2)
        names_part, separator, reason_part = body.partition("--")
        names = frozenset(name for name in _RULE_SEPARATORS.split(names_part) if name)
        unknown = sorted(names - set(RULES))
        if unknown:
            problems.append(
                finding(
                    "suppression-rule",
                    comment.line,
                    f"speclint-{kind} names unknown rule(s): {', '.join(unknown)}",
                    column=comment.column,
                )
            )
        reason = " ".join(reason_part.split()) if separator else ""
        if kind != "enable" and not reason:
            problems.append(
                finding(
                    "suppression-reason",
                    comment.line,
                    f"speclint-{kind} needs a reason: <!-- speclint-{kind} RULE -- why -->",
                    column=comment.column,
                )
            )
            continue
        suppressions.append(
            Suppression(kind, names, reason or None, comment.line, comment.end_line)
        )
    return suppressions, problems


def _next_content_line(doc: Document, after: int) -> int:
    line = after + 1
    while line <= doc.line_count and not doc.lines[line - 1].strip():
        line += 1
    return line


def apply_suppressions(
    doc: Document, findings: list[Finding], suppressions: list[Suppression]
) -> list[Finding]:
    targets: list[tuple[int, Suppression]] = [
        (_next_content_line(doc, item.end_line), item)
        for item in suppressions
        if item.kind == "disable-next-line"
    ]
    enables = [item for item in suppressions if item.kind == "enable"]
    ranges: list[tuple[int, int, str, Suppression]] = []
    for item in suppressions:
        if item.kind != "disable":
            continue
        for rule in item.rules or {"*"}:
            end = min(
                (
                    enable.line
                    for enable in enables
                    if enable.line > item.line and (not enable.rules or rule in enable.rules)
                ),
                default=doc.line_count + 1,
            )
            ranges.append((item.line, end, rule, item))
    result: list[Finding] = []
    for found in findings:
        reason = None if found.rule in _UNSUPPRESSIBLE else _reason(found, targets, ranges)
        result.append(
            replace(found, suppressed=True, suppression_reason=reason) if reason else found
        )
    return result


def _reason(
    found: Finding,
    targets: list[tuple[int, Suppression]],
    ranges: list[tuple[int, int, str, Suppression]],
) -> str | None:
    for line, item in targets:
        if line == found.line and item.covers(found.rule):
            return item.reason
    for start, end, rule, item in ranges:
        if start <= found.line < end and rule in ("*", found.rule):
            return item.reason
    return None
