from speclint import builtin_profile, lint_text

TECH = builtin_profile("tech-spec")


def evidence(body: str) -> list[int]:
    text = f"# Technical Specification: Ledger\n\n**Owner:** Ana\n\n## 0) Summary\n\n{body}\n"
    return [f.line for f in lint_text(text, profile=TECH).findings if f.rule == "evidence-line"]


def test_paragraph_closed_by_its_own_last_line():
    assert evidence("The ledger is append-only.\nEvidence: docs/adr/0007.md") == []


def test_paragraph_closed_by_the_next_paragraph():
    assert evidence("The ledger is append-only.\n\nEvidence gap: no load test yet.") == []


def test_paragraph_left_open_is_reported_on_its_first_line():
    assert evidence("The ledger is append-only.\nIt is fast.\n\nAnother claim.\nEvidence: x") == [7]


def test_two_paragraphs_before_one_evidence_line():
    assert evidence("First claim.\n\nSecond claim.\n\nEvidence: y") == [7]


def test_lists_tables_code_quotes_labels_and_comments_are_exempt():
    body = (
        "**Request schema**\n\n- a list item\n\n| A |\n|---|\n| b |\n\n```text\ncode\n```\n\n"
        "> quoted\n\n<!-- a comment -->\n\nA footnote user[^1].\nEvidence: z\n\n[^1]: The footnote."
    )
    assert evidence(body) == []


def test_evidence_sections_are_exempt():
    text = "# T\n\n## 34) Evidence Gaps\n\nNo benchmark yet.\n\n## 35) Evidence Map\n\nSee table.\n"
    assert [f for f in lint_text(text, profile=TECH).findings if f.rule == "evidence-line"] == []


def test_rule_is_off_in_other_profiles():
    text = "# T\n\nA claim without evidence.\n"
    assert lint_text(text, profile=builtin_profile("ai-spec")).findings == () or all(
        f.rule != "evidence-line"
        for f in lint_text(text, profile=builtin_profile("ai-spec")).findings
    )
