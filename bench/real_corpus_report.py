"""Findings per document, hand-labelled precision and seeded-defect recall on real templates.

Corpora: Kubernetes KEPs, Rust RFCs and MADR decision records (tests/speclint/real_corpus/).
Run: .venv/bin/python bench/real_corpus_report.py [--missed] [--unlabelled]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.speclint.real_corpus_scoring import CORPORA, report_lines, score_real_corpus


def main(argv: list[str]) -> int:
    for name in CORPORA:
        report = score_real_corpus(name)
        print("\n".join(report_lines(report)))
        if "--missed" in argv:
            for document, kind in report.missed:
                print(f"    missed: {document}: {kind}")
        if "--unlabelled" in argv:
            for document, line, rule, message in report.unlabelled:
                print(f"{document}\t{line}\t{rule}\t{message}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
