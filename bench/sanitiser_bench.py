"""nh3 against bleach on our own allow-list: speed, and what each does with the XSS corpus.

    .venv/bin/python bench/sanitiser_bench.py [--repeat 21]

Input is what the renderer produces before sanitising (the seeds and a 1 MiB spec), so
both libraries see the markup they would see in production. bleach is configured as close
to `specs.rendering.sanitise` as it can be: it cannot rewrite a value (drop one class of
several, prefix an id, pin rel), so where nh3 rewrites, bleach keeps or drops the whole
attribute. bleach is end-of-life; it is installed only for this measurement.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import bleach
from spec_generator import realistic_spec

from specs.rendering.pipeline import build_parser
from specs.rendering.sanitise import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    URL_SCHEMES,
    filter_attribute,
    sanitise_html,
)
from tests.specs.rendering.hostile import XSS_HTML, violations

SEEDS = Path(__file__).resolve().parent.parent / "speclint" / "src" / "speclint" / "profiles"


def bleach_attribute(tag: str, name: str, value: str) -> bool:
    """Keep an attribute only if nh3's filter would keep it unchanged."""
    return name in ALLOWED_ATTRIBUTES.get(tag, ()) and filter_attribute(tag, name, value) == value


BLEACH = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=bleach_attribute,
    protocols=URL_SCHEMES,
    strip=True,
    strip_comments=True,
)


def unsanitised_html(text: str) -> str:
    parser = build_parser()
    return parser.render(text, {})


def timed(clean: Callable[[str], str], html: str, repeat: int) -> list[float]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        clean(html)
        runs.append(time.perf_counter() - started)
    return runs


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def speed_table(documents: dict[str, str], repeat: int) -> None:
    cleaners = {"nh3": sanitise_html, "bleach": BLEACH.clean}
    print("| input (rendered HTML) | size | sanitiser | median ms | p95 ms | MB/s |")
    print("|---|---:|---|---:|---:|---:|")
    for name, html in documents.items():
        size = len(html.encode())
        times = repeat if size < 500_000 else max(3, repeat // 4)
        for label, clean in cleaners.items():
            runs = timed(clean, html, times)
            median = statistics.median(runs)
            print(
                f"| {name} | {size / 1024:,.0f} KB | {label} | {median * 1000:,.2f} "
                f"| {p95(runs) * 1000:,.2f} | {size / median / 1e6:,.1f} |"
            )


def corpus_table() -> None:
    print("| XSS case | nh3 | bleach |")
    print("|---|---|---|")
    totals = {"nh3": 0, "bleach": 0}
    for name, html in XSS_HTML.items():
        cells = []
        for label, clean in (("nh3", sanitise_html), ("bleach", BLEACH.clean)):
            out = clean(html)
            problems = violations(out, require_rel=False)
            if problems:
                cells.append("FAIL: " + "; ".join(problems))
            else:
                totals[label] += 1
                cells.append("ok" + _note(out))
        print(f"| {name} | {cells[0]} | {cells[1]} |")
    count = len(XSS_HTML)
    print(f"| **within policy** | {totals['nh3']}/{count} | {totals['bleach']}/{count} |")


def _note(output: str) -> str:
    """What a reader would see of the attack after cleaning, when it is more than nothing."""
    shown = output.replace("\n", " ")
    if "alert" in shown or "<" in shown:
        return f": `{shown[:60]}`"
    return ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    documents = {
        path.name[:24]: unsanitised_html(path.read_text(encoding="utf-8"))
        for path in sorted(SEEDS.glob("*.md"))
    }
    documents["generated 1 MiB spec"] = unsanitised_html(realistic_spec(1 << 20))
    warnings.simplefilter("ignore")  # bleach warns about its own html5lib internals
    speed_table(documents, args.repeat)
    print()
    corpus_table()


if __name__ == "__main__":
    main()
