"""Lint one document: parse, choose a profile, run the rules, apply suppressions."""

from __future__ import annotations

from dataclasses import replace

from .catalog import select_profile
from .document import Document, parse_document
from .mismatch import STRUCTURE_RULES, profile_mismatch
from .model import Finding, LintResult, Profile
from .policy import builtin_policy, check_policy
from .rules import Context, run_rules
from .structure import match_structure
from .suppressions import apply_suppressions, parse_suppressions

__all__ = ["lint_document", "lint_text"]


def lint_text(
    text: str,
    *,
    profile: Profile | None = None,
    path: str = "<text>",
    policy: str | None = None,
) -> LintResult:
    """Lint Markdown text; ``profile`` None picks the best built-in (or ``generic``)."""
    return lint_document(parse_document(text), profile=profile, path=path, policy=policy)


def lint_document(
    doc: Document,
    *,
    profile: Profile | None = None,
    path: str = "<text>",
    policy: str | None = None,
) -> LintResult:
    chosen = profile if profile is not None else select_profile(doc)
    structure = match_structure(doc, chosen)
    findings = run_rules(Context(doc, chosen, structure))
    mismatch = profile_mismatch(doc, chosen, structure)
    if mismatch is not None:
        # One finding that says the profile does not fit, instead of a flood that says nothing.
        findings = [f for f in findings if f.rule not in STRUCTURE_RULES] + [mismatch]
    if policy is not None:
        findings.extend(check_policy(doc, builtin_policy(policy)))
    suppressions, problems = parse_suppressions(doc)
    findings = apply_suppressions(doc, findings, suppressions) + problems
    located = [_with_section(doc, item) for item in _unique(findings)]
    located.sort(key=lambda item: (item.line, item.column, item.rule, item.message))
    return LintResult(path=path, profile=chosen.name, findings=tuple(located))


def _unique(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))


def _with_section(doc: Document, found: Finding) -> Finding:
    heading = doc.section_at(found.line)
    return replace(found, section=heading.text if heading else None)
