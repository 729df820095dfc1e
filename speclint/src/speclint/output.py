"""Render lint results as the contract's JSON, SARIF 2.1.0 or one-line-per-finding text."""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from . import __version__
from ._toml import tomllib
from .model import Finding, LintResult
from .rules.registry import RULES

__all__ = [
    "FINGERPRINT_KEY",
    "JSON_VERSION",
    "SOURCE_ROOT",
    "UnreadableInput",
    "rule_documentation",
    "to_json",
    "to_json_data",
    "to_sarif",
    "to_sarif_data",
    "to_text",
]

JSON_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_TOOL_URI = "https://github.com/spec-review/spec-review/blob/main/docs/lint-rules.md"
# The base a relative artifact URI is resolved against, as code scanning tools name it.
SOURCE_ROOT = "%SRCROOT%"
# partialFingerprints key; the version suffix changes if the identity's ingredients ever do.
FINGERPRINT_KEY = "speclintFinding/v1"
UNREADABLE_INPUT = "unreadable-input"
_LINE_NUMBERS = re.compile(r"\b(line|lines|column|char|offset) \d+")


@dataclass(frozen=True)
class UnreadableInput:
    """An input the command line could not lint, and the one-line reason it gave."""

    path: str
    reason: str


@cache
def _rule_docs() -> dict[str, dict[str, str]]:
    text = resources.files("speclint").joinpath("rule_docs.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def rule_documentation(rule: str) -> tuple[str, str]:
    """A rule's full description and where it is reported (Markdown, from lint-rules.md)."""
    entry = _rule_docs()[rule]
    return entry["full"].replace("\\|", "|"), entry["reported_at"]


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


def to_sarif_data(
    results: Sequence[LintResult],
    *,
    source_root: Path | None = None,
    unreadable: Sequence[UnreadableInput] = (),
) -> dict[str, Any]:
    """SARIF 2.1.0 as code scanning wants it (ADR 0011).

    Paths become URI references relative to ``%SRCROOT%``; ``source_root`` (the command line
    passes its working directory) is recorded as that base, and a path outside it stays an
    absolute ``file:`` URI. Each result carries a ``partialFingerprints`` entry that survives
    unrelated edits above it. Inputs that could not be read are ``toolExecutionNotifications``.
    """
    rule_ids = list(RULES)
    rule_index = {rule: index for index, rule in enumerate(rule_ids)}
    sarif_results: list[dict[str, Any]] = []
    for result in results:
        location = _artifact_location(result.path, source_root)
        occurrences: dict[str, int] = {}
        for finding in result.findings:
            identity = _fingerprint_identity(finding)
            occurrence = occurrences.get(identity, 0) + 1
            occurrences[identity] = occurrence
            entry: dict[str, Any] = {
                "ruleId": finding.rule,
                "level": _SARIF_LEVELS[finding.severity],
                "message": {"text": finding.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": dict(location),
                            "region": {
                                "startLine": finding.line,
                                "startColumn": finding.column,
                                "endLine": finding.end_line,
                            },
                        }
                    }
                ],
                "partialFingerprints": {FINGERPRINT_KEY: f"{identity}:{occurrence}"},
                "properties": {"profile": result.profile, "section": finding.section},
            }
            if finding.rule in rule_index:  # not "linter-crashed", which the app adds
                entry["ruleIndex"] = rule_index[finding.rule]
            if finding.suppressed:
                entry["suppressions"] = [
                    {"kind": "inSource", "justification": finding.suppression_reason or ""}
                ]
            sarif_results.append(entry)
    invocation: dict[str, Any] = {"executionSuccessful": not unreadable}
    if unreadable:
        invocation["toolExecutionNotifications"] = [
            {
                "level": "error",
                "message": {"text": failure.reason},
                "descriptor": {"id": UNREADABLE_INPUT},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": _artifact_location(failure.path, source_root)
                        }
                    }
                ],
            }
            for failure in unreadable
        ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "speclint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": _TOOL_URI,
                "rules": [_rule_descriptor(rule) for rule in rule_ids],
            }
        },
        "invocations": [invocation],
        # Columns count characters (code points), not SARIF's default UTF-16 code units.
        "columnKind": "unicodeCodePoints",
        "results": sarif_results,
    }
    if source_root is not None:
        run["originalUriBaseIds"] = {SOURCE_ROOT: {"uri": _directory_uri(source_root)}}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def to_sarif(
    results: Sequence[LintResult],
    *,
    source_root: Path | None = None,
    unreadable: Sequence[UnreadableInput] = (),
) -> str:
    data = to_sarif_data(results, source_root=source_root, unreadable=unreadable)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _artifact_location(path: str, source_root: Path | None) -> dict[str, str]:
    """A relative URI reference under %SRCROOT% when the path is inside the root, else file:."""
    if path == "-":
        return {"uri": "stdin"}
    given = PurePosixPath(path.replace(os.sep, "/"))
    if given.is_absolute():
        if source_root is not None and given.is_relative_to(source_root.as_posix()):
            given = given.relative_to(source_root.as_posix())
        else:
            return {"uri": Path(os.path.normpath(path)).as_uri()}
    relative = PurePosixPath(posixpath.normpath(given.as_posix()))
    if relative.parts[:1] == ("..",):
        if source_root is None:
            return {"uri": quote(relative.as_posix(), safe="/")}
        return {"uri": Path(os.path.normpath(source_root / relative)).as_uri()}
    return {"uri": quote(relative.as_posix(), safe="/"), "uriBaseId": SOURCE_ROOT}


def _directory_uri(directory: Path) -> str:
    uri = directory.absolute().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _fingerprint_identity(finding: Finding) -> str:
    # Rule, section and message, not the line: a finding keeps its identity when lines are added
    # or removed above it. Line numbers quoted in messages ("repeats the one at line 7") are
    # masked for the same reason; equal identities in one file are told apart by occurrence.
    message = _LINE_NUMBERS.sub(r"\1 #", finding.message)
    material = "\x00".join((finding.rule, finding.section or "", message))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def _rule_descriptor(rule: str) -> dict[str, Any]:
    info = RULES[rule]
    full, reported_at = rule_documentation(rule)
    full = full[:1].upper() + full[1:].rstrip(".") + "."
    help_text = f"{_plain(full)} Reported at: {_plain(reported_at)}."
    help_markdown = f"{full}\n\n**Reported at:** {reported_at}."
    if not rule.startswith("suppression-"):  # the contract: these cannot be suppressed
        comment = f"<!-- speclint-disable-next-line {rule} -- reason -->"
        help_text += f" To accept one occurrence, put {comment} on the line above it."
        help_markdown += f"\n\nTo accept one occurrence, put `{comment}` on the line above it."
    return {
        "id": rule,
        "name": rule,
        "shortDescription": {"text": info.description},
        "fullDescription": {"text": _plain(full), "markdown": full},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": _SARIF_LEVELS[info.severity]},
    }


def _plain(markdown: str) -> str:
    return markdown.replace("`", "").replace("**", "").replace("*", "")


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
