import pytest

from speclint import builtin_profile, lint_text

from .helpers import MINI_FILLED, line_of, lint, replace_line, rules_at


def test_missing_metadata_field_is_reported_on_line_1():
    text = replace_line(MINI_FILLED, "**Owner:** Jürgen Müller\n", "")
    result = lint(text)
    [missing] = [f for f in result.findings if f.rule == "metadata-missing"]
    assert missing.line == 1
    assert "Owner" in missing.message


def test_metadata_after_the_first_h2_does_not_count():
    text = replace_line(MINI_FILLED, "**Owner:** Jürgen Müller\n", "")
    text = replace_line(text, "## 1) Context\n", "## 1) Context\n**Owner:** Jürgen Müller\n\n")
    assert ("metadata-missing", 1) in rules_at(lint(text))


def test_status_outside_its_enum():
    text = replace_line(MINI_FILLED, "**Status:** Draft", "**Status:** Done")
    result = lint(text)
    [bad] = [f for f in result.findings if f.rule == "metadata-value"]
    assert (bad.line, bad.column) == (4, 13)


def test_status_enum_ignores_case():
    assert (
        rules_at(lint(replace_line(MINI_FILLED, "**Status:** Draft", "**Status:** in review")))
        == []
    )


@pytest.mark.parametrize(
    ("value", "fires"), [("2026-02-30", True), ("last week", True), ("2024-02-29", False)]
)
def test_metadata_dates_must_be_real_calendar_dates(value, fires):
    text = replace_line(MINI_FILLED, "2026-02-27", value)
    assert (("date-format", 5) in rules_at(lint(text))) is fires


def test_unfilled_date_is_a_placeholder_not_a_date_error():
    found = rules_at(lint(replace_line(MINI_FILLED, "2026-02-27", "YYYY-MM-DD")))
    assert ("placeholder", 5) in found
    assert ("date-format", 5) not in found


FEATURE_HEAD = (
    "# Feature Specification: Export\n\n**Version:** {version}\n\n"
    "**Last Updated:** 2026-01-05\n\n**Status:** Draft\n"
)


@pytest.mark.parametrize(
    ("version", "fires"), [("1.0", True), ("v2", True), ("1.2.3", False), ("2.0.0-rc.1", False)]
)
def test_feature_spec_version_must_be_semver(version, fires):
    result = lint_text(
        FEATURE_HEAD.format(version=version), profile=builtin_profile("feature-spec")
    )
    assert (("metadata-value", 3) in [(f.rule, f.line) for f in result.findings]) is fires


CONTRACT = builtin_profile("python-contract")


def front_matter_findings(text: str) -> list[tuple[str, int]]:
    result = lint_text(text, profile=CONTRACT)
    return [
        (f.rule, f.line)
        for f in result.findings
        if f.rule in ("front-matter", "date-format", "metadata-missing")
    ]


def test_front_matter_missing():
    assert front_matter_findings("# Technical Specification\n") == [("front-matter", 1)]


def test_front_matter_missing_key_is_front_matter_not_metadata():
    text = '---\nversion: "1.0"\ncreated: "2026-01-02"\n---\n# Technical Specification\n'
    assert front_matter_findings(text) == [("front-matter", 1)]


def test_front_matter_not_yaml():
    text = "---\nversion: [1.0\ncreated: 2026-01-02\n---\n# Technical Specification\n"
    [(rule, line)] = front_matter_findings(text)
    assert rule == "front-matter"
    assert line > 1


def test_front_matter_dates_real_and_in_order():
    bad_date = '---\nversion: "1.0"\ncreated: 2026-02-30\nupdated: 2026-03-01\n---\n# T\n'
    assert front_matter_findings(bad_date) == [("date-format", 3)]
    reversed_dates = '---\nversion: "1.0"\ncreated: 2026-03-02\nupdated: 2026-03-01\n---\n# T\n'
    assert front_matter_findings(reversed_dates) == [("front-matter", 4)]
    fine = '---\nversion: "1.0"\ncreated: 2026-03-01\nupdated: 2026-03-01\n---\n# T\n'
    assert front_matter_findings(fine) == []


def test_table_date_column_must_hold_real_dates():
    text = replace_line(MINI_FILLED, "| 2026-02-20 |", "| 2026-13-01 |")
    assert ("date-format", line_of(text, "2026-13-01")) in rules_at(lint(text))
