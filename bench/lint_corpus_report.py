"""Per-rule recall and precision of speclint over tests/speclint/corpus (planted defects).

Run: .venv/bin/python bench/lint_corpus_report.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.speclint.corpus_scoring import score_corpus, score_table


def main() -> int:
    score = score_corpus()
    print(f"speclint corpus: {score.files} files")
    print(score_table(score))
    if score.clean_findings:
        print(f"clean specs with findings: {score.clean_findings}")
    if score.missed:
        print(f"planted defects not found: {score.missed}")
    return 1 if score.clean_findings or score.missed else 0


if __name__ == "__main__":
    sys.exit(main())
