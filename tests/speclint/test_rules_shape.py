"""Shape rules any document can break, and the profile-mismatch finding (issue 16)."""

from speclint import builtin_profile, infer_profile, lint_text
from speclint.rules.shape import cell_count

from .helpers import rules, rules_at

PLAIN = infer_profile("# Notes\n\n## Body\n\nWrite here.\n", name="plain")


def test_a_row_with_the_wrong_cell_count_is_reported_even_without_a_template_table():
    text = "# Notes\n\n## Body\n\n| A | B |\n|---|---|\n| 1 | 2 |\n| 1 | 2 | 3 |\n| 1 |\n"
    assert [r for r in rules_at(lint_text(text, profile=PLAIN)) if r[0] == "table-shape"] == [
        ("table-shape", 8),
        ("table-shape", 9),
    ]
    assert "table-shape" in rules(lint_text(text))  # generic profile too


def test_pipes_in_code_spans_and_escaped_pipes_are_not_cells():
    assert cell_count("| `a|b` | c |") == 2
    assert cell_count(r"| a \| b | c |") == 2
    assert cell_count("a | b") == 2


def test_na_cells_need_no_reason_in_an_inferred_profile():
    text = "# Notes\n\n## Body\n\n| A | B |\n|---|---|\n| 1 | N/A |\n"
    assert rules_at(lint_text(text, profile=PLAIN)) == []


def test_a_fence_that_never_closes_is_reported_where_it_opens():
    text = "# Notes\n\n## Body\n\n```yaml\nkey: value\n``\n\n## Later\n\nText.\n"
    assert ("fence-unclosed", 5) in rules_at(lint_text(text, profile=PLAIN))


def test_a_fence_closed_one_space_short_in_a_list_is_one_finding():
    text = "# Notes\n\n## Body\n\n- item\n\n  ```\n  code\n ```\n\nText.\n"
    found = [r for r in rules_at(lint_text(text, profile=PLAIN)) if r[0] == "fence-unclosed"]
    assert found == [("fence-unclosed", 7)]


def test_closed_fences_are_fine():
    text = "# Notes\n\n## Body\n\n~~~~python\nx = 1\n~~~~\n"
    assert rules_at(lint_text(text, profile=PLAIN)) == []


def test_elided_illustrative_code_is_tolerated_but_broken_code_is_not():
    elided = "# Notes\n\n## Body\n\n```yaml\nspec:\n  replicas: 3\n...\n  template: x\n```\n"
    assert "code-syntax" not in rules(lint_text(elided, profile=PLAIN))
    broken = "# Notes\n\n## Body\n\n```yaml\nspec: [1, 2\n```\n"
    assert "code-syntax" in rules(lint_text(broken, profile=PLAIN))


def test_a_document_that_does_not_fit_its_profile_gets_one_finding():
    kep = "# KEP-1: Widgets\n\n" + "".join(
        f"## {title}\n\nText.\n\n" for title in ("Motivation", "Proposal", "Drawbacks")
    )
    result = lint_text(kep, profile=builtin_profile("tech-spec"))
    assert [f.rule for f in result.findings] == ["profile-mismatch"]
    assert "tech-spec" in result.findings[0].message


def test_a_document_that_fits_gets_no_mismatch():
    template = "# T\n\n## A\n\nx\n\n## B\n\nx\n\n## C\n\nx\n"
    fits = "# Doc\n\n## A\n\nText.\n\n## B\n\nText.\n"
    assert "profile-mismatch" not in rules(
        lint_text(fits, profile=infer_profile(template, name="t"))
    )


def test_a_stub_without_sections_of_its_own_keeps_every_finding():
    result = lint_text("# Technical Specification\n", profile=builtin_profile("tech-spec"))
    assert "profile-mismatch" not in rules(result)
    assert "required-section" in rules(result)
