"""Inference reads a template the way its authors meant it (issue 16), one behaviour per test."""

from speclint import infer_profile, lint_text
from speclint.answers import similarity

from .helpers import line_of, rules, rules_at

QUESTIONNAIRE = """\
# KEP-NNNN: Your short, descriptive title

## Summary

One paragraph explanation of the proposal.

## Design Details

### Test Plan

**Note:** *Not required until targeted at a release.*

### Upgrade / Downgrade Strategy

If applicable, how will the component be upgraded and downgraded?

<!-- This is an optional element. Feel free to remove. -->
### Notes

Anything else worth saying.

## Readiness

### Rollout

###### How can a rollout or rollback fail? Can it impact already running workloads?

###### How can this feature be enabled / disabled in a live cluster?

Pick one of these and delete the rest.

- [ ] Feature gate
- [ ] Other

## Release Signoff Checklist

- [ ] (R) Design details are appropriately documented
  - [ ] (R) Minimum two week window for tests
- [ ] (R) Test plan is in place
- [ ] User-facing documentation has been created

## Graduation

- Complete features A, B, C
- `<package>`: `<date>` - `<test coverage>`
"""

FILLED = """\
# KEP-1234: Faster widgets

## Summary

Widgets get faster by caching their last render.

## Design Details

The cache lives in the widget controller.

## Readiness

### Rollout

* **How can a rollout fail? Can it impact already running workloads?**
  A bad cache entry shows a stale widget until the next refresh.

###### How can this feature be enabled / disabled in a live cluster?

- [x] Feature gate

## Release Signoff Checklist

- [x] (R) Design details are appropriately documented
- [ ] (R) Test plan is in place

## Graduation

- Beta once the cache hit rate is measured.
"""


def profile(toml: str | None = None):
    return infer_profile(QUESTIONNAIRE, name="kep", override_toml=toml)


def section(spec_tree, *titles):
    specs = spec_tree
    for title in titles:
        spec = next(spec for spec in specs if spec.title == title)
        specs = spec.children
    return spec


def test_the_filled_document_has_no_findings():
    assert rules_at(lint_text(FILLED, profile=profile())) == []


def test_guidance_text_makes_a_section_optional_and_says_why():
    sections = profile().sections
    test_plan = section(sections, "Design Details", "Test Plan")
    upgrade = section(sections, "Design Details", "Upgrade / Downgrade Strategy")
    assert (test_plan.required, upgrade.required) == (False, False)
    assert "not required until" in test_plan.reason
    assert "if applicable" in upgrade.reason
    assert section(sections, "Summary").required


def test_a_comment_right_above_a_heading_speaks_for_that_heading_only():
    sections = profile().sections
    assert not section(sections, "Design Details", "Notes").required
    assert section(sections, "Design Details").required  # the comment is not its guidance


def test_template_heading_jumps_are_the_norm_but_others_are_reported():
    doc = FILLED.replace("## Summary", "#### Summary")
    assert ("heading-increment", 3) in rules_at(lint_text(doc, profile=profile()))
    assert profile().heading_jumps == frozenset({(3, 6)})


def test_an_option_list_is_one_choice_not_a_checklist():
    checklist = next(c for c in profile().checklists if c.mode == "one")
    assert checklist.items == ("Feature gate", "Other")
    answered_in_prose = FILLED.replace("- [x] Feature gate", "Through the `FastWidgets` gate.")
    assert "checklist-item-missing" not in rules(lint_text(answered_in_prose, profile=profile()))
    unanswered = FILLED.replace("- [x] Feature gate\n", "")
    assert "checklist-item-missing" in rules(lint_text(unanswered, profile=profile()))


def test_only_items_marked_required_are_required_and_nested_items_detail_their_parent():
    signoff = next(c for c in profile().checklists if c.title == "Release Signoff Checklist")
    assert signoff.mode == "marked"
    assert signoff.items == (
        "(R) Design details are appropriately documented",
        "(R) Test plan is in place",
    )


def test_a_question_answered_as_a_bold_lead_in_with_older_wording_is_not_missing():
    assert (
        similarity(
            "How can a rollout or rollback fail? Can it impact already running workloads?",
            "How can a rollout fail? Can it impact already running workloads?",
        )
        >= 0.6
    )
    dropped = FILLED.replace(
        "* **How can a rollout fail? Can it impact already running workloads?**\n", ""
    )
    dropped = dropped.replace(
        "  A bad cache entry shows a stale widget until the next refresh.\n", ""
    )
    assert "required-section" in rules(lint_text(dropped, profile=profile()))


def test_short_titles_match_word_for_word_only():
    assert similarity("Drawbacks", "Drawbacks [optional]") == 1.0
    assert similarity("Non-Goals", "Goals") == 0.0


def test_a_heading_merging_two_sibling_sections_answers_both():
    template = (
        "# T\n\n## Guide-level explanation\n\nText.\n\n## Reference-level explanation\n\nMore.\n"
    )
    merged = "# Policy\n\n## Explanation\n\nThe policy, explained.\n"
    result = lint_text(merged, profile=infer_profile(template, name="rfc"))
    assert "required-section" not in rules(result)


def test_placeholders_are_learned_from_the_template_filler():
    learned = profile()
    assert r"\bNNNN\b" in learned.filler_patterns
    pasted = FILLED.replace(
        "- Beta once the cache hit rate is measured.", "- Complete features A, B, C"
    )
    line = line_of(pasted, "Complete features")
    assert ("template-filler", line) in rules_at(lint_text(pasted, profile=learned))
    code_spans = FILLED.replace(
        "- Beta once", "- `<package>`: `<date>` - `<test coverage>`\n- Beta once"
    )
    assert "template-filler" in rules(lint_text(code_spans, profile=learned))
    assert "template-filler" in rules(lint_text(FILLED.replace("1234", "NNNN"), profile=learned))


def test_bracketed_tags_the_template_does_not_use_are_not_placeholders():
    tagged = FILLED.replace(
        "Widgets get faster", "Tests tagged [LinuxOnly] and [Serial] get faster"
    )
    assert "placeholder" not in rules(lint_text(tagged, profile=profile()))
    marker = FILLED.replace("- Beta once", "- [Optional] Aggregation method: sum\n- Beta once")
    assert "placeholder" not in rules(lint_text(marker, profile=profile()))


def test_conditional_sections_follow_a_metadata_field_from_the_override():
    toml = """
[[sections.conditional]]
path = "Design Details > Test Plan"
field = "Status"
values = ["implementable", "implemented"]
"""
    conditional = profile(toml)
    spec = section(conditional.sections, "Design Details", "Test Plan")
    assert spec.condition is not None and "Status" in spec.reason
    draft = "**Status:** provisional\n\n" + FILLED
    targeted = "**Status:** implementable\n\n" + FILLED
    assert "required-section" not in rules(lint_text(draft, profile=conditional))
    assert "required-section" in rules(lint_text(targeted, profile=conditional))


def test_na_answers_need_no_reason_when_the_template_never_asks_for_one():
    answered = FILLED.replace("The cache lives in the widget controller.", "N/A")
    assert "na-without-reason" not in rules(lint_text(answered, profile=profile()))


def test_a_section_answered_na_waives_its_subquestions():
    na = FILLED.replace(
        "### Rollout\n\n* **How can a rollout fail? Can it impact already running workloads?**\n"
        "  A bad cache entry shows a stale widget until the next refresh.\n",
        "### Rollout\n\nN/A\n",
    )
    assert "required-section" not in rules(lint_text(na, profile=profile()))


def test_optional_front_matter_keys_are_not_required():
    template = (
        '---\n# These are optional metadata elements.\nstatus: "{proposed | accepted}"\n---\n\n'
        "# {short title of the decision}\n\n## Context\n\n{Describe the context here.}\n"
    )
    madr = infer_profile(template, name="madr")
    assert madr.front_matter is not None and madr.front_matter.required == ()
    result = lint_text(
        "# Use Markdown\n\n## Context\n\n{Describe the context here.}\n", profile=madr
    )
    assert ("template-filler", 5) in rules_at(result)
    assert "front-matter" not in rules(result)


def test_aliases_in_the_override_accept_an_older_heading():
    toml = '[sections.aliases]\n"Design Details" = ["Implementation Details/Notes/Constraints"]\n'
    older = FILLED.replace("## Design Details", "## Implementation Details/Notes/Constraints")
    assert "required-section" in rules(lint_text(older, profile=profile()))
    assert "required-section" not in rules(lint_text(older, profile=profile(toml)))
