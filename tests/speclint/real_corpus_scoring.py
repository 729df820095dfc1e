"""Score the linter on real template processes (tests/speclint/real_corpus/<name>/).

Each corpus holds a real template (``template.md``, plus ``profile.toml`` when the process keeps
rules the template cannot say), real accepted documents (``docs/``) and ``labels.tsv``: every
finding on the accepted documents, labelled by hand ``real`` or ``false`` with a one-line why.
Three figures per corpus: findings per accepted document, hand-labelled precision, and recall
on seeded defects (see :mod:`.real_seeding`).
"""

from __future__ import annotations

import csv
import statistics
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from speclint import Finding, Profile, infer_profile, lint_text

from .real_seeding import seed_defects

REAL_CORPUS = Path(__file__).resolve().parent / "real_corpus"
CORPORA = ("kep", "rfc", "madr")

FindingKey = tuple[str, int, str, str]  # document, line, rule, message


@dataclass
class CorpusReport:
    name: str
    documents: int = 0
    findings_per_document: list[int] = field(default_factory=list)
    real: int = 0
    false: int = 0
    unlabelled: list[FindingKey] = field(default_factory=list)
    # Labels of findings the linter no longer reports (kept as the record of what was fixed).
    retired: int = 0
    seeded: int = 0
    caught: int = 0
    missed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.findings_per_document) if self.findings_per_document else 0

    @property
    def maximum(self) -> int:
        return max(self.findings_per_document, default=0)

    @property
    def precision(self) -> float | None:
        labelled = self.real + self.false
        return self.real / labelled if labelled else None

    @property
    def recall(self) -> float:
        return self.caught / self.seeded if self.seeded else 1.0


@cache
def corpus_profile(name: str) -> Profile:
    folder = REAL_CORPUS / name
    override = folder / "profile.toml"
    return infer_profile(
        (folder / "template.md").read_text(encoding="utf-8"),
        name=name,
        override_toml=override.read_text(encoding="utf-8") if override.exists() else None,
    )


def read_labels(name: str) -> dict[FindingKey, str]:
    path = REAL_CORPUS / name / "labels.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle, delimiter="\t") if row and row[0] != "document"]
    return {(row[0], int(row[1]), row[2], row[3]): row[4] for row in rows}


def lint_real(name: str, document: Path) -> list[Finding]:
    text = document.read_text(encoding="utf-8")
    result = lint_text(text, profile=corpus_profile(name), path=document.name)
    return [item for item in result.findings if not item.suppressed]


def score_real_corpus(name: str) -> CorpusReport:
    report = CorpusReport(name)
    labels = read_labels(name)
    template = (REAL_CORPUS / name / "template.md").read_text(encoding="utf-8")
    reported: set[FindingKey] = set()
    for document in sorted((REAL_CORPUS / name / "docs").glob("*.md")):
        findings = lint_real(name, document)
        reported.update((document.name, f.line, f.rule, f.message) for f in findings)
        report.documents += 1
        report.findings_per_document.append(len(findings))
        for key in ((document.name, item.line, item.rule, item.message) for item in findings):
            label = labels.get(key)
            if label == "real":
                report.real += 1
            elif label == "false":
                report.false += 1
            else:
                report.unlabelled.append(key)
        _score_seeds(report, name, document, template)
    report.retired = len(set(labels) - reported)
    return report


def _score_seeds(report: CorpusReport, name: str, document: Path, template: str) -> None:
    text = document.read_text(encoding="utf-8")
    for seed in seed_defects(document.name, text, corpus_profile(name), template):
        result = lint_text(seed.text, profile=corpus_profile(name), path=document.name)
        report.seeded += 1
        if any(item.rule == seed.rule and item.line == seed.line for item in result.findings):
            report.caught += 1
        else:
            report.missed.append((document.name, seed.kind))


def report_lines(report: CorpusReport) -> list[str]:
    precision = "n/a" if report.precision is None else f"{report.precision:.2f}"
    labelled = report.real + report.false
    return [
        f"{report.name}: {report.documents} accepted documents",
        f"  findings per document: median {report.median:g}, max {report.maximum}",
        f"  hand-labelled precision: {precision} ({report.real} real of {labelled} labelled"
        f", {len(report.unlabelled)} unlabelled, {report.retired} labels no longer reported)",
        f"  seeded-defect recall: {report.recall:.2f} ({report.caught} of {report.seeded})",
    ]
