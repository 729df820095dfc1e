"""speclint timings: median and p95 wall time and tracemalloc peak per document.

Documents: the five seeds, generated 75 KB and 1 MiB specs (filled corpus specs repeated), and
the pathological inputs of the hang-guard tests. Run: .venv/bin/python bench/lint_bench.py
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from speclint import lint_text
from speclint.catalog import builtin_profile, profile_resource
from tests.speclint.hostile_inputs import CASES

SEEDS = ("tech-spec.md", "ai-spec.md", "python-contract.md", "feature-spec.md", "backend-policy.md")
CORPUS = REPOSITORY / "tests" / "speclint" / "corpus" / "tech-spec"


def generated(size: int) -> str:
    base = "\n".join(path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.md")))
    body = base
    while len(body.encode()) < size:
        body += "\n" + base
    return body


def measure(text: str, repeats: int) -> tuple[float, float, float]:
    times: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        lint_text(text)
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    lint_text(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, peak / (1024 * 1024)


def main() -> int:
    for name in ("tech-spec", "ai-spec", "python-contract", "feature-spec"):
        builtin_profile(name)  # profiles are built once per process; keep that out of timings
    documents: list[tuple[str, str, int]] = [
        (f"seed {name}", profile_resource(name), 20) for name in SEEDS
    ]
    documents.append(("generated 75 KB", generated(75 * 1024), 10))
    documents.append(("generated 1 MiB", generated(1024 * 1024), 3))
    documents.extend((f"hostile: {name}", text, 3) for name, text in sorted(CASES.items()))
    print(f"{'document':<36} {'size':>9} {'median ms':>10} {'p95 ms':>8} {'peak MiB':>9}")
    for label, text, repeats in documents:
        median, p95, peak = measure(text, repeats)
        size = len(text.encode())
        print(f"{label:<36} {size:>9,} {median * 1000:>10.1f} {p95 * 1000:>8.1f} {peak:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
