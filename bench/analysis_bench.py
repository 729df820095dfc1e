"""CPU time of one version's analysis (render + lint + review structures), as the upload's
forked child runs it, on the generated 75 KB spec and the seeds: median of N runs of
`time.process_time()`, so other processes on the machine do not count.

    .venv/bin/python bench/analysis_bench.py [--repeat 15]

Columns: "render + lint" is the renderer's HTML plus the linter's findings, through the one
shared parse when the source allows it (`specs.rendering.shared`), else the two parses;
"analysis" is the whole `_analyse_in_child` (also the review structures, image findings and
the results turned into dicts); then the parts measured alone, each with its own parse.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("LOG_LEVEL", "WARNING")
import django_setup  # noqa: F401  (Django settings: specs.analysis imports models)
from spec_generator import realistic_spec

import speclint
from speclint.document import parse_document
from specs.analysis import _analyse_in_child
from specs.rendering import render_markdown

SEEDS = ROOT / "speclint" / "src" / "speclint" / "profiles"


def cpu_ms(work: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.process_time()
        work()
        runs.append(time.process_time() - started)
    return statistics.median(runs) * 1000


def render_and_lint(text: str, linter: speclint.Profile) -> None:
    try:
        from speclint.document import document_from_tokens
        from specs.rendering.render import render_parsed
        from specs.rendering.shared import parse_once
    except ImportError:  # before the shared parse: two parses
        render_markdown(text)
        speclint.lint_document(parse_document(text), profile=linter)
        return
    shared = parse_once(text)
    document = document_from_tokens(shared.text, shared.tokens)
    if shared.renderable:
        render_parsed(text, shared.tokens, shared.env)
    else:
        render_markdown(text)
    speclint.lint_document(document, profile=linter)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    linter = speclint.builtin_profile("tech-spec")
    inputs = {"generated 75 KB": realistic_spec(75 * 1024)}
    for path in sorted(SEEDS.glob("*.md")):
        inputs[path.name] = path.read_text(encoding="utf-8")
    _analyse_in_child("# warm up\n\nthe parsers, the lexers, the profile", linter, "tech-spec", {})
    one, five, _ = os.getloadavg()
    print(f"load average {one:.2f} (1 min) {five:.2f} (5 min), median of {args.repeat}")
    print(
        "| input | KB | render + lint ms | analysis ms | render ms | linter parse ms | rules ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, text in inputs.items():
        document = parse_document(text)
        both = cpu_ms(partial(render_and_lint, text, linter), args.repeat)
        whole = cpu_ms(partial(_analyse_in_child, text, linter, "tech-spec", {}), args.repeat)
        render = cpu_ms(partial(render_markdown, text), args.repeat)
        parse = cpu_ms(partial(parse_document, text), args.repeat)
        rules = cpu_ms(partial(speclint.lint_document, document, profile=linter), args.repeat)
        print(
            f"| {name} | {len(text.encode()) / 1024:,.0f} | {both:,.1f} | {whole:,.1f} "
            f"| {render:,.1f} | {parse:,.1f} | {rules:,.1f} |"
        )


if __name__ == "__main__":
    main()
