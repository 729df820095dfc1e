# ruff: noqa: RUF001 - curly quotes and mojibake are the inputs under test
import pytest

from speclint import builtin_profile, lint_text

from .helpers import MINI_FILLED, line_of, lint, replace_line, rules, rules_at

GENERIC = builtin_profile("generic")


def findings(text: str, rule: str) -> list[tuple[int, int, str]]:
    result = lint_text(text, profile=GENERIC)
    return [(f.line, f.column, f.message) for f in result.findings if f.rule == rule]


@pytest.mark.parametrize(
    "placeholder",
    [
        "<name>",
        "<owner name>",
        "<System / Feature Name>",
        "<...>",
        "<x.y>",
        "<#>",
        "<ms>",
        "[FEATURE_NAME]",
        "[X]",
        "[Title Case Words]",
        "YYYY-MM-DD",
    ],
)
def test_placeholders_in_prose_are_found_with_their_column(placeholder):
    text = f"# Title\n\nOwner is {placeholder} today.\n"
    assert findings(text, "placeholder") == [(3, 10, f"Unfilled placeholder '{placeholder}'")]


def test_each_placeholder_occurrence_is_a_finding():
    text = "# T\n\n| A | B |\n|---|---|\n| <name> | <name> |\n\n- <bullet>\n- <bullet>\n"
    assert [(line, column) for line, column, _ in findings(text, "placeholder")] == [
        (5, 3),
        (5, 12),
        (7, 3),
        (8, 3),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Müller reviewed the façade; 日本語 docs follow.",
        "Use `Dict[str, str]` and `List<T>` in code.",
        "See <https://example.com/a_b> or write to <a@b.co>.",
        "N/A — no personal data is stored",
        "Dates use the `YYYY-MM-DD` format.",
        "p95 < 200ms and p99 > 100ms.",
        "Line break<br>inside and <details> blocks.",
        "A [real link](https://example.com) and a footnote[^1].\n\n[^1]: Source.",
        "- [ ] unticked\n- [x] ticked",
        "> [!NOTE]\n> GitHub alert.",
        "Generic prose List<T> and Map<K, V>.",
    ],
)
def test_real_text_is_not_a_placeholder(text):
    assert findings(f"# Title\n\n{text}\n", "placeholder") == []


def test_placeholders_inside_code_are_ignored():
    text = "# T\n\n```python\nx = '<name>'  # TODO\n```\n\n    indented <name> TODO\n\n`<name>`\n"
    assert findings(text, "placeholder") == []
    assert findings(text, "todo-marker") == []


def test_pipes_inside_code_spans_in_tables_keep_cells_whole():
    text = "# T\n\n| Command | Note |\n|---|---|\n| `grep a|b` | fine |\n"
    assert lint_text(text, profile=GENERIC).findings == ()


@pytest.mark.parametrize("marker", ["TODO", "FIXME", "TBD", "XXX"])
def test_todo_markers_are_whole_words(marker):
    assert findings(f"# T\n\nShip it, {marker}: check.\n", "todo-marker")[0][:2] == (3, 10)
    assert findings(f"# T\n\n{marker}S and {marker}_x are words.\n", "todo-marker") == []


def test_mojibake_is_reported_once_per_line_with_the_repair():
    text = "# T\n\nIt’s fine. Itâ€™s not, and neither is ðŸ“„.\n"
    [(line, column, message)] = findings(text, "mojibake")
    assert (line, column) == (3, 14)
    assert "’" in message and "📄" in message


def test_mojibake_ignores_real_non_english_text():
    assert findings("# T\n\nMüller, façade, 日本語, “École”, ‘Über’, Ñandú.\n", "mojibake") == []


@pytest.mark.parametrize(
    ("body", "fires"),
    [
        ("N/A", True),
        ("N/A (stateless)", True),
        ("N/A — no personal data is stored", False),
        ("State machine: N/A because nothing persists between runs", False),
        ("Every stateful component has a state machine (or N/A + reason).", False),
    ],
)
def test_na_without_reason_in_section_bodies(body, fires):
    text = replace_line(MINI_FILLED, "N/A — the job keeps no state between runs.", body)
    assert (("na-without-reason", line_of(text, body)) in rules_at(lint(text))) is fires


def test_na_without_reason_in_table_cells_and_checklist_items():
    text = replace_line(MINI_FILLED, "| Finance needs daily totals |", "| N/A |")
    text = replace_line(text, "- [ ] Risks are listed", "- [ ] Risks are listed\n- [ ] N/A")
    found = rules_at(lint(text))
    assert ("na-without-reason", line_of(text, "| N/A |")) in found
    assert ("na-without-reason", line_of(text, "- [ ] N/A")) in found


def test_requirement_id_used_twice():
    text = (
        "# T\n\n## FR-1: Export\n\n- [ ] AC-1: works\n\n"
        "## FR-2: Import\n\n- [ ] AC-1: works\n\n## FR-1: Again\n"
    )
    result = lint_text(text, profile=GENERIC)
    assert [(f.rule, f.line) for f in result.findings] == [("requirement-id", 11)]


def test_acceptance_criteria_repeat_within_one_requirement():
    text = "# T\n\n## FR-1: Export\n\n- [ ] AC-1: a\n- [ ] AC-1: b\n"
    assert [f.line for f in lint_text(text, profile=GENERIC).findings] == [6]


def test_broken_anchor_and_working_anchors():
    text = (
        "# Title\n\n## Ownership & RACI (required)\n\n## Ünïcode Ärger\n\n"
        '<a id="custom"></a>\n\n'
        "See [raci](#ownership--raci-required), [u](#ünïcode-ärger), [c](#custom), "
        "[x](#nowhere).\n"
    )
    result = lint_text(text, profile=GENERIC)
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("broken-anchor", 9, 75)]


def test_duplicate_heading_anchor_suffix_is_accepted():
    text = "# T\n\n## A\n\n### Notes\n\n## B\n\n### Notes\n\n[second](#notes-1)\n"
    assert "broken-anchor" not in rules(lint_text(text, profile=GENERIC))
