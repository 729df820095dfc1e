"""Server time for a version diff (rows, hunks, word segments and section summary).

    .venv/bin/python bench/diff_bench.py [--lines 5000] [--repeat 21]

difflib.SequenceMatcher over the same lines (line opcodes only) is timed once, for comparison.
"""

from __future__ import annotations

import argparse
import difflib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from spec_generator import heavily_edited, spec_with_lines

from specs.diffing import diff_texts


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def difflib_ms(old: str, new: str, autojunk: bool) -> float:
    """Line opcodes only: no word diff, no sections. Autojunk makes it fast by ignoring
    frequent lines, which is what turns blank and |---| lines into noise in its output."""
    started = time.perf_counter()
    difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk).get_opcodes()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()

    old = spec_with_lines(args.lines)
    cases = {
        "heavy edit (30% of lines)": heavily_edited(old, rate=0.3),
        "very heavy edit (60%)": heavily_edited(old, seed=7, rate=0.6),
        "two table rows added": old.replace(
            "|---|---|---|---|---|---|\n",
            "|---|---|---|---|---|---|\n| 2025-01-01 | a | PM | Approved | b | c |\n",
            2,
        ),
        "identical": old,
    }
    print(f"old: {len(old.splitlines()):,} lines, {len(old.encode()) / 1024:,.0f} KB")
    print(
        "| new version | lines | hunks | sections | median ms | p95 ms "
        "| difflib opcodes ms (autojunk) | difflib opcodes ms (no autojunk) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, new in cases.items():
        runs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            diff = diff_texts(old, new)
            runs.append(time.perf_counter() - started)
        references = [difflib_ms(old, new, autojunk) for autojunk in (True, False)]
        print(
            f"| {name} | {len(new.splitlines()):,} | {len(diff.hunks)} | {len(diff.sections)} "
            f"| {statistics.median(runs) * 1000:,.1f} | {p95(runs) * 1000:,.1f} "
            f"| {references[0]:,.0f} | {references[1]:,.0f} |"
        )
    example = diff_texts(old, cases["heavy edit (30% of lines)"])
    print("\nfirst section summaries (heavy edit):")
    for change in example.sections[:5]:
        print(f"- {change.summary}")


if __name__ == "__main__":
    main()
