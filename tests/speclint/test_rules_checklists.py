from speclint import builtin_profile, lint_text

from .helpers import MINI_FILLED, line_of, lint, replace_line, rules_at


def test_missing_checklist_item_is_reported_on_the_section_heading_quoting_the_item():
    text = replace_line(MINI_FILLED, "- [ ] Risks are listed\n", "")
    result = lint(text)
    [missing] = [f for f in result.findings if f.rule == "checklist-item-missing"]
    assert missing.line == line_of(text, "## 6) Gate")
    assert "'Risks are listed'" in missing.message


def test_ticked_or_not_and_extra_remarks_do_not_matter():
    text = replace_line(
        MINI_FILLED, "- [ ] Risks are listed", "- [x] Risks are listed — see the risk log"
    )
    assert rules_at(lint(text)) == []


def test_labelled_checklist_items_are_found_after_their_label():
    profile = builtin_profile("feature-spec")
    assert profile.checklist_items == ("Tech Lead", "Product", "QA")
    text = (
        "# F\n\n## Appendix\n\n**Approval:**\n\n"
        "- [ ] Tech Lead: Ana Müller - 2026-01-02\n- [ ] QA: Bo Li - 2026-01-03\n"
    )
    result = lint_text(text, profile=profile)
    missing = [f for f in result.findings if f.rule == "checklist-item-missing"]
    assert [(f.line, "'Product'" in f.message) for f in missing] == [(5, True)]


def test_requirement_without_acceptance_checkbox():
    profile = builtin_profile("feature-spec")
    text = (
        "# F\n\n## Functional Requirements\n\n### FR-1: Export\n\n"
        "**Priority:** High\n\nNo criteria.\n"
    )
    result = lint_text(text, profile=profile)
    assert ("checklist-item-missing", 5) in [(f.rule, f.line) for f in result.findings]


def test_quality_gate_items_of_the_tech_spec_profile():
    items = builtin_profile("tech-spec").checklist_items
    assert len(items) == 12
    assert items[0] == "Architecture is clear and diagrammed"
    assert items[-1] == "Evidence Gaps and Evidence Map sections are complete"
