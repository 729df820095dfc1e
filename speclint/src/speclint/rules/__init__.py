"""Rule families; each module exposes ``check(context) -> Iterable[Finding]``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..document import Document
from ..model import Finding, Profile
from ..structure import Structure
from .registry import RULES

__all__ = ["RULES", "Context", "run_rules"]


@dataclass(frozen=True)
class Context:
    doc: Document
    profile: Profile
    structure: Structure

    def on(self, rule: str) -> bool:
        return rule in self.profile.rules


def run_rules(context: Context) -> list[Finding]:
    from . import checklists, code, evidence, metadata, prose, sections, shape, tables

    findings: list[Finding] = []
    for family in (sections, prose, metadata, tables, checklists, evidence, code, shape):
        findings.extend(_enabled(context, family.check(context)))
    return findings


def _enabled(context: Context, findings: Iterable[Finding]) -> Iterable[Finding]:
    return (finding for finding in findings if context.on(finding.rule))
