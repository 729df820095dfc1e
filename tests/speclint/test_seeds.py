"""The real templates lint without crashing, under the profile the contract gives them."""

from collections import Counter

import pytest

from speclint import lint_text
from speclint.catalog import profile_resource


@pytest.mark.parametrize(
    ("filename", "profile"),
    [
        ("tech-spec.md", "tech-spec"),
        ("ai-spec.md", "ai-spec"),
        ("python-contract.md", "python-contract"),
        ("feature-spec.md", "feature-spec"),
        ("backend-policy.md", "generic"),
    ],
)
def test_seed_lints_as_its_profile(filename, profile):
    result = lint_text(profile_resource(filename), path=filename, policy="backend")
    assert result.profile == profile
    assert result.findings


def test_unfilled_tech_spec_template_is_full_of_placeholders_and_empty_sections():
    counts = Counter(f.rule for f in lint_text(profile_resource("tech-spec.md")).findings)
    assert counts["placeholder"] > 100
    assert counts["empty-section"] > 20
    assert counts["required-section"] == 0


def test_mojibake_seeds_are_flagged_but_their_headings_still_match():
    ai = lint_text(profile_resource("ai-spec.md"))
    assert "mojibake" in {f.rule for f in ai.findings}
    assert "required-section" not in {f.rule for f in ai.findings}
    manifesto = lint_text(profile_resource("backend-policy.md"))
    assert sum(f.rule == "mojibake" for f in manifesto.findings) > 50


def test_seed_code_rules_catch_the_templates_own_invalid_python():
    result = lint_text(profile_resource("feature-spec.md"))
    assert [f.line for f in result.findings if f.rule == "code-syntax"] == [311]
