from speclint import builtin_profile, lint_text

GENERIC = builtin_profile("generic")


def lint(body: str):
    return lint_text(f"# T\n\n{body}\n", profile=GENERIC)


def test_disable_next_line_suppresses_and_keeps_the_finding_with_its_reason():
    result = lint(
        "<!-- speclint-disable-next-line todo-marker -- tracked in JIRA-42 -->\nTODO: ship it"
    )
    [finding] = result.findings
    assert finding.suppressed
    assert finding.suppression_reason == "tracked in JIRA-42"
    assert result.counts == {"error": 0, "warning": 0, "info": 0}


def test_disable_next_line_only_covers_the_named_rules_and_the_next_line():
    result = lint(
        "<!-- speclint-disable-next-line placeholder -- example -->\nTODO <name>\n\nTODO again"
    )
    assert [(f.rule, f.line, f.suppressed) for f in result.findings] == [
        ("todo-marker", 4, False),
        ("placeholder", 4, True),
        ("todo-marker", 6, False),
    ]


def test_disable_block_until_enable():
    result = lint(
        "<!-- speclint-disable placeholder,todo-marker -- quoted template -->\n\n<name> TODO\n\n"
        "<!-- speclint-enable placeholder -->\n\n<name> TODO"
    )
    assert [(f.rule, f.line, f.suppressed) for f in result.findings] == [
        ("placeholder", 5, True),
        ("todo-marker", 5, True),
        ("placeholder", 9, False),
        ("todo-marker", 9, True),
    ]


def test_suppression_without_reason_is_an_error_and_suppresses_nothing():
    result = lint("<!-- speclint-disable-next-line todo-marker -->\nTODO")
    assert [(f.rule, f.line, f.suppressed) for f in result.findings] == [
        ("suppression-reason", 3, False),
        ("todo-marker", 4, False),
    ]
    assert result.counts["error"] == 1


def test_unknown_rule_in_a_suppression_is_reported():
    result = lint("<!-- speclint-disable-next-line no-such-rule -- because -->\ntext")
    assert [f.rule for f in result.findings] == ["suppression-rule"]


def test_comments_inside_code_blocks_are_not_suppressions():
    result = lint("```html\n<!-- speclint-disable-next-line todo-marker -->\n```\nTODO")
    assert [(f.rule, f.suppressed) for f in result.findings] == [("todo-marker", False)]
