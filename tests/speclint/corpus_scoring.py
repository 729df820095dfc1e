"""Score the linter on the corpus: planted defects (``*.expected.json``) versus findings."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from speclint import builtin_profile, lint_text

CORPUS = Path(__file__).resolve().parent / "corpus"


@dataclass
class RuleScore:
    found: int = 0
    missed: int = 0
    spurious: int = 0

    @property
    def recall(self) -> float:
        planted = self.found + self.missed
        return self.found / planted if planted else 1.0

    @property
    def precision(self) -> float:
        reported = self.found + self.spurious
        return self.found / reported if reported else 1.0


@dataclass
class CorpusScore:
    rules: dict[str, RuleScore] = field(default_factory=dict)
    clean_findings: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    missed: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    files: int = 0


def expected_findings(spec: Path) -> Counter[tuple[str, int]]:
    expected = spec.with_name(spec.name.removesuffix(".md") + ".expected.json")
    if not expected.exists():
        return Counter()
    return Counter((item["rule"], item["line"]) for item in json.loads(expected.read_text()))


def score_corpus(corpus: Path = CORPUS) -> CorpusScore:
    score = CorpusScore()
    for spec in sorted(corpus.glob("*/*.md")):
        profile = builtin_profile(spec.parent.name)
        result = lint_text(spec.read_text(encoding="utf-8"), profile=profile, path=str(spec))
        got = Counter((f.rule, f.line) for f in result.findings if not f.suppressed)
        expected = expected_findings(spec)
        score.files += 1
        if not expected and got:
            score.clean_findings[spec.name] = sorted(got)
        if expected - got:
            score.missed[spec.name] = sorted(expected - got)
        for (rule, _line), count in (got & expected).items():
            score.rules.setdefault(rule, RuleScore()).found += count
        for (rule, _line), count in (expected - got).items():
            score.rules.setdefault(rule, RuleScore()).missed += count
        for (rule, _line), count in (got - expected).items():
            score.rules.setdefault(rule, RuleScore()).spurious += count
    return score


def score_table(score: CorpusScore) -> str:
    rows = [
        f"{'rule':<24} {'planted':>7} {'found':>6} {'spurious':>8} {'recall':>7} {'precision':>9}"
    ]
    for rule in sorted(score.rules):
        item = score.rules[rule]
        rows.append(
            f"{rule:<24} {item.found + item.missed:>7} {item.found:>6} {item.spurious:>8} "
            f"{item.recall:>7.2f} {item.precision:>9.2f}"
        )
    return "\n".join(rows)
