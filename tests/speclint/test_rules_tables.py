import pytest

from speclint.rules.tables import people_in

from .helpers import MINI_FILLED, line_of, lint, replace_line, rules_at


def test_missing_required_table_is_reported_on_the_section_heading():
    text = replace_line(
        MINI_FILLED,
        "| Date | Decision | Rationale |\n|---|---|---|\n"
        "| 2026-02-20 | Approved | Finance needs daily totals |\n",
        "We approved the nightly export.\n",
    )
    assert ("table-columns", line_of(text, "## 3) Decisions")) in rules_at(lint(text))


def test_missing_column_is_reported_on_the_header_row_case_and_order_ignored():
    text = replace_line(MINI_FILLED, "| Date | Decision | Rationale |", "| decision | DATE | Why |")
    result = lint(text)
    [bad] = [f for f in result.findings if f.rule == "table-columns"]
    assert bad.line == line_of(text, "| decision | DATE | Why |")
    assert "Rationale" in bad.message


def test_table_without_rows():
    text = replace_line(MINI_FILLED, "| 2026-02-20 | Approved | Finance needs daily totals |\n", "")
    assert ("table-empty", line_of(text, "| Date | Decision |")) in rules_at(lint(text))


@pytest.mark.parametrize(
    ("value", "fires"), [("Maybe", True), ("", True), ("approved", False), ("Rejected", False)]
)
def test_enum_cells(value, fires):
    text = replace_line(MINI_FILLED, "| Approved |", f"| {value} |")
    assert (("enum-value", line_of(text, "| 2026-02-20 |")) in rules_at(lint(text))) is fires


@pytest.mark.parametrize(
    ("accountable", "fires"),
    [
        ("", True),
        ("Ana, Bo", True),
        ("Ana & Bo", True),
        ("Ana and Bo", True),
        ("Ana/Bo", True),
        ("Ana (Payments/Ledger)", False),
        ("Jürgen Müller", False),
    ],
)
def test_raci_accountable(accountable, fires):
    text = replace_line(MINI_FILLED, "| Jürgen Müller |", f"| {accountable} |")
    assert (("raci-accountable", line_of(text, "| Engineering |")) in rules_at(lint(text))) is fires


def test_raci_responsible_empty():
    text = replace_line(MINI_FILLED, "| Aiko Tanaka |", "|  |")
    assert ("raci-responsible", line_of(text, "| Engineering |")) in rules_at(lint(text))


def test_people_split_on_the_contract_separators():
    assert people_in("A, B; C / D & E and F") == ["A", "B", "C", "D", "E", "F"]
    assert people_in("N/A — no owner yet") == []
