import json

from speclint import builtin_profile, lint_text
from speclint.output import to_json, to_sarif, to_text
from speclint.rules.registry import RULES
from tests.speclint.sarif_schema import schema_errors

GENERIC = builtin_profile("generic")
TEXT = (
    "# T\n\n## Ownership & RACI\n\nOwner: <name>\n\n"
    "<!-- speclint-disable-next-line todo-marker -- tracked elsewhere -->\nTODO later\n"
)


def results():
    return [lint_text(TEXT, profile=GENERIC, path="billing.md")]


def test_json_shape_matches_the_contract():
    data = json.loads(to_json(results()))
    assert data == {
        "version": 1,
        "results": [
            {
                "path": "billing.md",
                "profile": "generic",
                "findings": [
                    {
                        "rule": "placeholder",
                        "severity": "error",
                        "line": 5,
                        "end_line": 5,
                        "column": 8,
                        "message": "Unfilled placeholder '<name>'",
                        "section": "Ownership & RACI",
                        "suppressed": False,
                    },
                    {
                        "rule": "todo-marker",
                        "severity": "warning",
                        "line": 8,
                        "end_line": 8,
                        "column": 1,
                        "message": "'TODO' marker left in prose",
                        "section": "Ownership & RACI",
                        "suppressed": True,
                        "suppression_reason": "tracked elsewhere",
                    },
                ],
                "counts": {"error": 1, "warning": 0, "info": 0},
            }
        ],
    }


def test_text_format_is_one_line_per_unsuppressed_finding_then_a_summary():
    assert to_text(results()) == (
        "billing.md:5:8: error placeholder Unfilled placeholder '<name>'\n"
        "1 error, 0 warnings, 0 info in 1 file (1 suppressed)\n"
    )


def test_sarif_2_1_0_one_run_with_every_rule_described():
    sarif = json.loads(to_sarif(results()))
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    [run] = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(RULES)
    assert all(rule["shortDescription"]["text"] for rule in rules)
    placeholder, todo = run["results"]
    assert placeholder["ruleId"] == "placeholder"
    assert rules[placeholder["ruleIndex"]]["id"] == "placeholder"
    assert placeholder["level"] == "error"
    region = placeholder["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 5, "startColumn": 8, "endLine": 5}
    assert (
        placeholder["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "billing.md"
    )
    assert todo["level"] == "warning"
    assert todo["suppressions"] == [{"kind": "inSource", "justification": "tracked elsewhere"}]
    assert schema_errors(sarif) == []


def test_findings_are_sorted_by_line_column_rule():
    result = lint_text("# T\n\nTODO <name> FIXME\n\n<x> TBD\n", profile=GENERIC)
    keys = [(f.line, f.column, f.rule) for f in result.findings]
    assert keys == sorted(keys)


def test_lines_count_crlf_and_ignore_a_bom():
    result = lint_text("\ufeff# T\r\n\r\nTODO\r\n", profile=GENERIC)
    assert [(f.line, f.column) for f in result.findings] == [(3, 1)]
