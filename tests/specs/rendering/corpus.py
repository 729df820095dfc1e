"""Every Markdown source the renderer and linter are checked over together: the seed
templates, the demo specs, the linter's corpora (defect and real-world), all 652 CommonMark
0.31.2 examples, task-list edge cases and a generated 75 KB spec."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

TASK_EDGES = {
    "tasks": "- [ ] a\n- [x] b\n- [X]\tc\n- [ ]\nd\n\n* [x] [x]\n\n[x]: /url\n\n1. [ ] \\*e\n",
    "task in a footnote": "Note[^1].\n\n[^1]: - [ ] first\n    - [x] second\n",
    "nested tasks": "- [ ] outer\n  - [x] inner\n  > - [ ] quoted\n",
}


def sources() -> dict[str, str]:
    found: dict[str, str] = {}
    patterns = (
        "speclint/src/speclint/profiles/*.md",
        "demo/specs/**/*.md",
        "tests/speclint/corpus/**/*.md",
        "tests/speclint/real_corpus/**/*.md",
    )
    for pattern in patterns:
        for path in sorted(ROOT.glob(pattern)):
            found[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    examples = json.loads((Path(__file__).parent / "commonmark_examples.json").read_text())
    for example in examples["examples"]:
        found[f"CommonMark example {example['example']}"] = example["markdown"]
    found.update(TASK_EDGES)
    sys.path.insert(0, str(ROOT / "bench"))
    from spec_generator import realistic_spec

    found["generated 75 KB"] = realistic_spec(75 * 1024)
    return found


SOURCES = sources()
