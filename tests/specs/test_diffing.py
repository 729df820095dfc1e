import difflib
import random
import time

import pytest

from specs.diffing import Segment, diff_texts, line_opcodes, word_segments

SPEC = """\
# Technical Specification: Billing

## 0) Summary
One paragraph.

## 0.1) Template Metadata (required)
- owner: team

## 3) Scope (implementation)
- in scope

## 5) Scope Decision Log (required)
| Date | Request | Decision |
|---|---|---|
| 2024-01-01 | SSO | Approved |

## 16b) SLOs and Error Budget (Required or N/A with reason)
- 99.9%

## 20) Migration Plan (if applicable)
- none

## 26) Ownership & RACI (required)
| Area | Responsible | Accountable |
|---|---|---|
| Product | Ann | Bob |
| Engineering | Cid | Dee |

```python
# not a heading
```
"""


def edited(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new)
    return text


def summaries(old: str, new: str) -> list[str]:
    return [change.summary for change in diff_texts(old, new).sections]


def apply_hunks(old: str, diff) -> list[str]:
    lines = old.splitlines()
    out: list[str] = []
    cursor = 0
    for hunk in diff.hunks:
        start = hunk.old_start - 1 if hunk.old_count else hunk.old_start
        out.extend(lines[cursor:start])
        cursor = start
        for line in hunk.lines:
            if line.op in " -":
                assert lines[cursor] == line.text
                cursor += 1
            if line.op in " +":
                out.append(line.text)
    return out + lines[cursor:]


def random_edit(lines: list[str], rnd: random.Random, rate: float = 0.25) -> list[str]:
    out: list[str] = []
    for line in lines:
        roll = rnd.random()
        if roll < rate / 4:
            continue
        if roll < rate / 2:
            out.append(line + " changed")
        elif roll < rate * 3 / 4:
            out.extend([line, f"| inserted | {rnd.randrange(1000)} |"])
        else:
            out.append(line)
    if rnd.random() < 0.5 and len(out) > 20:  # move a block
        start = rnd.randrange(len(out) - 10)
        block = out[start : start + 10]
        del out[start : start + 10]
        position = rnd.randrange(len(out))
        out[position:position] = block
    return out


def test_identical_texts_have_no_hunks_and_no_sections():
    diff = diff_texts(SPEC, SPEC)

    assert diff.identical
    assert diff.rows == () and diff.sections == ()
    assert diff.unified() == ""


def test_section_summary_names_sections_by_their_own_numbers():
    new = edited(
        SPEC,
        (
            "| 2024-01-01 | SSO | Approved |",
            "| 2024-01-01 | SSO | Approved |\n| a | b | c |\n| d | e | f |",
        ),
        ("| Engineering | Cid | Dee |", "| Engineering | Cid | Eve |\n\nNotes on ownership."),
        ("## 20) Migration Plan (if applicable)\n- none\n\n", ""),
        ("- in scope", "- in scope\n- also this"),
    )
    new += "\n## 27) Security & Privacy Classification\n- tier: internal\n"

    assert summaries(SPEC, new) == [
        "§3 Scope: changed (1 line)",
        "§5 Scope Decision Log: 2 rows added",
        "§20 Migration Plan: removed",
        "§26 Ownership & RACI: changed (2 lines)",
        "New section: §27 Security & Privacy Classification",
    ]


def test_table_row_edits_and_removals_are_counted_as_rows():
    new = edited(
        SPEC,
        ("| Engineering | Cid | Dee |", "| Engineering | Cid | Eve |"),
        ("| 2024-01-01 | SSO | Approved |\n", ""),
    )

    assert summaries(SPEC, new) == [
        "§5 Scope Decision Log: 1 row removed",
        "§26 Ownership & RACI: 1 row changed",
    ]


def test_renamed_heading_keeps_its_section_by_number():
    new = edited(SPEC, ("## 3) Scope (implementation)", "## 3) Scope of Work"))

    assert summaries(SPEC, new) == ["§3 Scope of Work (was Scope): changed (1 line)"]


@pytest.mark.parametrize(
    ("heading", "label"),
    [
        ("## 0.1) Template Metadata (required)", "§0.1 Template Metadata"),
        (
            "## 16b) SLOs and Error Budget (Required or N/A with reason)",
            "§16b SLOs and Error Budget",
        ),
        ("## **7) Decision Log**", "§7 Decision Log"),
        ("## 1.2 Context", "§1.2 Context"),
        ("## 2024 Roadmap", "2024 Roadmap"),
        ("## Glossary (only if needed)", "Glossary"),
        ("## parse_document", "parse_document"),
    ],
)
def test_section_labels(heading, label):
    old = f"# T\n\n## A\nx\n\n{heading}\nbody\n"

    [change] = diff_texts(old, old.replace("body", "new body")).sections

    assert change.label == label


def test_blank_lines_fenced_hashes_and_front_matter_comments_are_not_sections():
    front = "---\n# a yaml comment\ntitle: x\n---\n"
    new = edited(SPEC, ("# not a heading", "# still not a heading"), ("- 99.9%", "- 99.9%\n"))

    assert summaries(front + SPEC, front + new) == ["§26 Ownership & RACI: changed (1 line)"]


def test_changes_before_the_first_section_are_reported_under_the_title():
    new = edited(
        SPEC, ("# Technical Specification: Billing", "# Technical Specification: Payments")
    )

    [change] = diff_texts(SPEC, new).sections

    assert change.summary == (
        "Technical Specification: Payments (was Technical Specification: Billing): changed (1 line)"
    )


def test_side_by_side_rows_mark_changed_words():
    diff = diff_texts("a\nkeep this line\nb\n", "a\nkeep that line\nb\nc\n", context=1)

    assert [(r.kind, r.old_line, r.new_line) for r in diff.rows] == [
        ("equal", 1, 1),
        ("replace", 2, 2),
        ("equal", 3, 3),
        ("insert", None, 4),
    ]
    replaced = diff.rows[1]
    assert replaced.old == (Segment("keep ", False), Segment("this", True), Segment(" line", False))
    assert replaced.new == (Segment("keep ", False), Segment("that", True), Segment(" line", False))
    assert diff.rows[3].new == (Segment("c", True),)


def test_word_diff_of_huge_lines_marks_the_whole_line():
    old, new = "x " * 5000, "y " * 5000

    assert word_segments(old, new) == ((Segment(old, True),), (Segment(new, True),))


def test_unified_output_matches_difflib_for_a_simple_edit():
    old = "".join(f"line {n}\n" for n in range(30))
    new = old.replace("line 10\n", "line ten\n").replace("line 25\n", "")

    expected = "".join(
        difflib.unified_diff(old.splitlines(True), new.splitlines(True), "old", "new")
    )

    assert diff_texts(old, new).unified() == expected


@pytest.mark.parametrize("seed", range(8))
def test_random_edits_round_trip(seed):
    rnd = random.Random(seed)
    old_lines = SPEC.splitlines() * 20
    new_lines = random_edit(old_lines, rnd)
    old, new = "\n".join(old_lines), "\n".join(new_lines)

    diff = diff_texts(old, new, context=rnd.randrange(4))

    assert apply_hunks(old, diff) == new_lines
    assert diff.lines_added - diff.lines_removed == len(new_lines) - len(old_lines)


@pytest.mark.parametrize("seed", range(4))
def test_line_matching_is_as_good_as_difflib(seed):
    rnd = random.Random(seed)
    old = [
        f"{rnd.choice(['- item', '| row |', 'text', ''])} {rnd.randrange(300)}" for _ in range(600)
    ]
    new = random_edit(old, rnd)

    ours = line_opcodes(old, new)
    theirs = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()

    for tag, i1, i2, j1, j2 in ours:
        if tag == "equal":
            assert old[i1:i2] == new[j1:j2]
    matched = sum(i2 - i1 for tag, i1, i2, _, _ in ours if tag == "equal")
    reference = sum(i2 - i1 for tag, i1, i2, _, _ in theirs if tag == "equal")
    assert matched >= 0.97 * reference


def test_five_thousand_line_spec_against_a_heavy_edit_is_fast():
    rnd = random.Random(5)
    sections = [
        f"## {n}) Section {n}\n\nProse for section {n} {rnd.random()}.\n\n| a | b |\n|---|---|\n"
        + "".join(f"| {n}.{row} | {rnd.randrange(10**6)} |\n" for row in range(8))
        + "\n---\n"
        for n in range(1, 400)
    ]
    old_lines = "".join(sections).splitlines()[:5000]
    new_lines = random_edit(old_lines, rnd, rate=0.4)

    # A guard against quadratic matching (difflib needs ~0.6 s here), not a benchmark: CPU time
    # of this process only, so other processes on a loaded machine do not count.
    started = time.process_time()
    diff = diff_texts("\n".join(old_lines), "\n".join(new_lines))
    elapsed = time.process_time() - started

    assert elapsed < 1.0
    assert diff.sections and diff.hunks


def test_long_runs_of_identical_lines_stay_fast():
    old = "\n".join(["|---|", "", "- [ ] item"] * 3000)
    new = "\n".join(["|---|", "- [x] item", ""] * 3000)

    started = time.process_time()  # CPU of this process: a quadratic guard, not a benchmark
    diff = diff_texts(old, new)

    assert time.process_time() - started < 1.0
    assert apply_hunks(old, diff) == new.splitlines()
