"""Render time and peak memory per input: the seeds, generated specs, and hostile inputs.

    .venv/bin/python bench/render_bench.py [--repeat 9] [--limit 5]

Peak memory is Python-heap only (tracemalloc): nh3's Rust allocations are not counted.
Pathological inputs are timed once unguarded at 64 KB, then at 1 MiB through
`render_with_time_limit`, which is what the worker does.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from spec_generator import realistic_spec

from specs.rendering import render_markdown
from specs.rendering.guard import render_with_time_limit
from tests.specs.rendering.hostile import PATHOLOGICAL

SEEDS = Path(__file__).resolve().parent.parent / "speclint" / "src" / "speclint" / "profiles"


def timings(text: str, repeat: int) -> list[float]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        render_markdown(text)
        runs.append(time.perf_counter() - started)
    return runs


def peak_memory(text: str) -> int:
    tracemalloc.start()
    try:
        render_markdown(text)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--limit", type=float, default=5.0, help="guard seconds for hostile input")
    args = parser.parse_args()

    inputs = {
        path.name[:24]: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.md"))
    }
    inputs["generated 75 KB"] = realistic_spec(75 * 1024)
    inputs["generated 1 MiB"] = realistic_spec(1 << 20)

    render_markdown("warm up # the parser and Pygments lexers")
    print("| input | size | median ms | p95 ms | peak MiB (Python heap) |")
    print("|---|---:|---:|---:|---:|")
    for name, text in inputs.items():
        repeat = args.repeat if len(text) < 200_000 else max(3, args.repeat // 3)
        runs = timings(text, repeat)
        size = len(text.encode()) / 1024
        median, slowest = statistics.median(runs) * 1000, p95(runs) * 1000
        print(
            f"| {name} | {size:,.0f} KB | {median:,.1f} | {slowest:,.1f} "
            f"| {peak_memory(text) / 2**20:,.1f} |"
        )

    print()
    print(f"| hostile input | 64 KB unguarded s | 1 MiB guarded ({args.limit:.0f} s limit) |")
    print("|---|---:|---|")
    for name, make in PATHOLOGICAL.items():
        small = make(64 * 1024)
        started = time.perf_counter()
        render_markdown(small)
        unguarded = time.perf_counter() - started
        outcome = render_with_time_limit(make(1 << 20), seconds=args.limit)
        result = f"ok in {outcome.seconds:.2f} s" if outcome.ok else outcome.failure
        print(f"| {name} | {unguarded:.2f} | {result} |")


if __name__ == "__main__":
    main()
