from speclint import builtin_profile

from .helpers import MINI_FILLED, line_of, lint, replace_line, rules, rules_at


def test_filled_mini_spec_is_clean():
    assert rules_at(lint(MINI_FILLED)) == []


def test_missing_top_level_section_is_reported_on_line_1_with_the_template_title():
    text = replace_line(
        MINI_FILLED, "## 1) Context\nThe ledger is exported nightly to the finance warehouse.\n", ""
    )
    result = lint(text)
    [missing] = [f for f in result.findings if f.rule == "required-section"]
    assert missing.line == 1
    assert "'1) Context'" in missing.message


def test_missing_subsection_is_reported_on_its_parent_heading():
    text = replace_line(MINI_FILLED, "### Diagram (Mermaid)\n", "")
    text = replace_line(
        text, "```mermaid\nflowchart LR\n  Ledger --> Export[Export job]\n```\n", ""
    )
    assert ("required-section", line_of(text, "## 2) Design")) in rules_at(lint(text))


def test_missing_pattern_section_asks_for_at_least_one():
    start = MINI_FILLED.index("### Component: Export job")
    end = MINI_FILLED.index("## 3) Decisions")
    result = lint(MINI_FILLED[:start] + MINI_FILLED[end:])
    [missing] = [f for f in result.findings if f.rule == "required-section"]
    assert "at least one" in missing.message


def test_optional_section_may_be_absent_and_required_section_may_not():
    assert "required-section" not in rules(lint(MINI_FILLED))  # Notes (optional) is absent


def test_missing_title_is_a_required_section_finding():
    text = replace_line(MINI_FILLED, "# Spec: Ledger export\n", "")
    assert ("required-section", 1) in rules_at(lint(text))


def test_section_matching_ignores_numbering_emoji_case_and_remarks():
    text = replace_line(MINI_FILLED, "## 1) Context", "## 1️⃣ **CONTEXT** (today)")
    assert rules_at(lint(text)) == []


def test_section_with_only_a_placeholder_is_empty():
    text = replace_line(
        MINI_FILLED,
        "The ledger is exported nightly to the finance warehouse.",
        "<what exists today>",
    )
    found = rules_at(lint(text))
    assert ("empty-section", line_of(text, "## 1) Context")) in found
    assert ("placeholder", line_of(text, "<what exists today>")) in found


def test_section_with_copied_template_guidance_is_empty():
    text = replace_line(
        MINI_FILLED,
        "  Ledger --> Export[Export job]",
        "  A --> B",
    )
    assert ("empty-section", line_of(text, "### Diagram")) in rules_at(lint(text))


def test_section_with_only_headings_is_empty():
    text = replace_line(
        MINI_FILLED,
        "## 1) Context\nThe ledger is exported nightly to the finance warehouse.\n",
        "## 1) Context\n### Background\n",
    )
    assert ("empty-section", line_of(text, "## 1) Context")) in rules_at(lint(text))


def test_sections_out_of_template_order_warn_on_the_first_out_of_order_heading():
    context = "## 1) Context\nThe ledger is exported nightly to the finance warehouse.\n\n"
    text = replace_line(MINI_FILLED, context, "")
    text = text + "\n" + context
    found = rules_at(lint(text))
    assert ("section-order", line_of(text, "## 1) Context")) in found


def test_heading_increment_fires_on_a_skipped_level_only():
    text = MINI_FILLED + "\n## Appendix\n#### Deep\ntext\n### Fine\n"
    found = rules_at(lint(text))
    assert ("heading-increment", line_of(text, "#### Deep")) in found
    assert ("heading-increment", line_of(text, "### Fine")) not in found


def test_duplicate_heading_fires_on_the_second_sibling_only():
    text = MINI_FILLED + "\n## Appendix\n### Links\na\n### Links\nb\n## Other\n### Links\nc\n"
    found = [item for item in rules_at(lint(text)) if item[0] == "duplicate-heading"]
    assert found == [("duplicate-heading", len(text.split("\n")) - 5)]


def test_mermaid_missing_fires_for_a_diagram_section_without_mermaid():
    text = replace_line(MINI_FILLED, "```mermaid\nflowchart LR", "```text\nflowchart LR")
    assert ("mermaid-missing", line_of(text, "### Diagram")) in rules_at(lint(text))


def test_rnia_state_machine_needs_mermaid_unless_na_with_reason():
    text = replace_line(MINI_FILLED, "N/A — the job keeps no state between runs.", "It has states.")
    assert ("mermaid-missing", line_of(text, "#### State machine")) in rules_at(lint(text))


def test_labelled_field_enum_and_missing_field():
    wrong = replace_line(MINI_FILLED, "**Priority:** High", "**Priority:** Urgent")
    assert ("enum-value", line_of(wrong, "**Priority:**")) in rules_at(lint(wrong))
    absent = replace_line(MINI_FILLED, "**Priority:** High\n", "")
    assert ("field-missing", line_of(absent, "### Component:")) in rules_at(lint(absent))


def test_code_block_required_by_the_ai_spec_profile():
    profile = builtin_profile("ai-spec")
    input_schema = next(
        spec for top in profile.sections for spec in top.children if spec.key == "input schema"
    )
    assert input_schema.needs_code == "any"
