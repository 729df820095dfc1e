"""How comments follow their text across versions: the share placed right, detached right
(their text is gone), placed wrong, and missed (shown as outdated although the text is there).

    .venv/bin/python bench/reanchor_bench.py

The corpus (tests/reviews/reanchoring_corpus.py) edits the demo specs deterministically.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.reviews.reanchoring_corpus import corpus, score


def main() -> None:
    started = time.perf_counter()
    cases = corpus()
    scores = score(cases)
    seconds = time.perf_counter() - started
    print(f"{len(cases)} anchored comments, {seconds:.2f} s")
    print(f"{'edit':24} {'n':>4} {'placed ok':>10} {'detached ok':>12} {'wrong':>7} {'missed':>7}")
    for kind, s in sorted(scores.items(), key=lambda item: item[0] == "all"):
        print(
            f"{kind:24} {s.total:4} {s.placed_right / s.total:10.1%} "
            f"{s.detached_right / s.total:12.1%} {s.placed_wrong / s.total:7.1%} "
            f"{s.missed / s.total:7.1%}"
        )


if __name__ == "__main__":
    main()
