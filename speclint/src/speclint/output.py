"""Render lint results as the contract's JSON, SARIF 2.1.0 or one-line-per-finding text."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .model import Finding, LintResult
from .rules.registry import RULES

__all__ = ["JSON_VERSION", "to_json", "to_json_data", "to_sarif", "to_sarif_data", "to_text"]

JSON_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_TOOL_URI = "https://github.com/spec-review/spec-review/blob/main/docs/lint-rules.md"


def _finding_data(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": finding.rule,
        "severity": finding.severity,
        "line": finding.line,
        "end_line": finding.end_line,
        "column": finding.column,
        "message": finding.message,
        "section": finding.section,
        "suppressed": finding.suppressed,
    }
    if finding.suppressed:
        data["suppression_reason"] = finding.suppression_reason
    return data


def to_json_data(results: Sequence[LintResult]) -> dict[str, Any]:
    return {
        "version": JSON_VERSION,
        "results": [
            {
                "path": result.path,
                "profile": result.profile,
                "findings": [_finding_data(finding) for finding in result.findings],
                "counts": dict(result.counts),
            }
            for result in results
        ],
    }


def to_json(results: Sequence[LintResult]) -> str:
    return json.dumps(to_json_data(results), ensure_ascii=False, indent=2) + "\n"


def to_sarif_data(results: Sequence[LintResult]) -> dict[str, Any]:
    rule_ids = list(RULES)
    rule_index = {rule: index for index, rule in enumerate(rule_ids)}
    sarif_results: list[dict[str, Any]] = []
    for result in results:
        for finding in result.findings:
            entry: dict[str, Any] = {
                "ruleId": finding.rule,
                "level": _SARIF_LEVELS[finding.severity],
                "message": {"text": finding.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": result.path},
                            "region": {
                                "startLine": finding.line,
                                "startColumn": finding.column,
                                "endLine": finding.end_line,
                            },
                        }
                    }
                ],
                "properties": {"profile": result.profile, "section": finding.section},
            }
            if finding.rule in rule_index:  # not "linter-crashed", which the app adds
                entry["ruleIndex"] = rule_index[finding.rule]
            if finding.suppressed:
                entry["suppressions"] = [
                    {"kind": "inSource", "justification": finding.suppression_reason or ""}
                ]
            sarif_results.append(entry)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "speclint",
                        "informationUri": _TOOL_URI,
                        "rules": [
                            {
                                "id": rule,
                                "name": rule,
                                "shortDescription": {"text": RULES[rule].description},
                                "defaultConfiguration": {
                                    "level": _SARIF_LEVELS[RULES[rule].severity]
                                },
                            }
                            for rule in rule_ids
                        ],
                    }
                },
                "results": sarif_results,
            }
        ],
    }


def to_sarif(results: Sequence[LintResult]) -> str:
    return json.dumps(to_sarif_data(results), ensure_ascii=False, indent=2) + "\n"


def to_text(results: Sequence[LintResult]) -> str:
    lines: list[str] = []
    totals = {"error": 0, "warning": 0, "info": 0}
    suppressed = 0
    for result in results:
        for finding in result.findings:
            if finding.suppressed:
                suppressed += 1
                continue
            lines.append(
                f"{result.path}:{finding.line}:{finding.column}: "
                f"{finding.severity} {finding.rule} {finding.message}"
            )
        for severity, count in result.counts.items():
            totals[severity] += count
    files = len(results)
    summary = (
        f"{_plural(totals['error'], 'error')}, {_plural(totals['warning'], 'warning')}, "
        f"{_plural(totals['info'], 'info')} in {_plural(files, 'file')}"
    )
    if suppressed:
        summary += f" ({suppressed} suppressed)"
    lines.append(summary)
    return "\n".join(lines) + "\n"


def _plural(count: int, noun: str) -> str:
    if noun == "info":
        return f"{count} info"
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
