"""SARIF that code scanning accepts without surprises (issue 13; ADR 0011).

Every document produced here is also checked against the vendored SARIF 2.1.0 schema.
"""

import io
import json
import re
from importlib import metadata
from pathlib import Path

import pytest

import speclint
from speclint.cli import main
from speclint.output import FINGERPRINT_KEY, SOURCE_ROOT, rule_documentation
from speclint.rules.registry import RULES
from tests.conftest import ROOT
from tests.speclint.sarif_schema import SCHEMA, VALIDATOR

# RFC 3986 characters of a URI reference: unreserved, reserved, and '%' of an escape.
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-F]{2})*$")

SPEC = """# Ledger

Owner: <name>

## Notes

TODO: decide the retention.
"""


def sarif_of(*arguments: str, stdin: str | None = None) -> tuple[int, dict, str]:
    out, err = io.StringIO(), io.StringIO()
    given = io.StringIO(stdin) if stdin is not None else None
    status = main(["--format", "sarif", *arguments], stdout=out, stderr=err, stdin=given)
    document = json.loads(out.getvalue())
    errors = [
        f"{error.instance_path}: {error.message}" for error in VALIDATOR.iter_errors(document)
    ]
    assert errors == [], errors
    return status, document, err.getvalue()


def locations(document: dict) -> list[dict]:
    return [
        result["locations"][0]["physicalLocation"]["artifactLocation"]
        for result in document["runs"][0]["results"]
    ]


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "checkout"
    (root / "docs" / "specs").mkdir(parents=True)
    monkeypatch.chdir(root)
    return root


def test_the_vendored_schema_is_sarif_2_1_0_and_rejects_a_broken_log():
    assert SCHEMA["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    assert not VALIDATOR.is_valid({"version": "2.1.0", "runs": [{"tool": {}}]})
    assert VALIDATOR.is_valid({"version": "2.1.0", "runs": []})


def test_paths_are_relative_uris_under_srcroot_which_names_the_working_directory(workspace):
    (workspace / "docs" / "specs" / "ledger.md").write_text(SPEC)
    status, document, _ = sarif_of("docs/specs/ledger.md", "./docs/specs/../specs/ledger.md")
    assert status == 1
    [run] = document["runs"]
    assert run["originalUriBaseIds"] == {SOURCE_ROOT: {"uri": workspace.as_uri() + "/"}}
    assert {json.dumps(location) for location in locations(document)} == {
        json.dumps({"uri": "docs/specs/ledger.md", "uriBaseId": SOURCE_ROOT})
    }


def test_an_absolute_path_inside_the_root_is_made_relative_and_outside_stays_a_file_uri(
    workspace, tmp_path
):
    inside = workspace / "docs" / "specs" / "ledger.md"
    inside.write_text(SPEC)
    outside = tmp_path / "elsewhere" / "ledger.md"
    outside.parent.mkdir()
    outside.write_text(SPEC)
    _, document, _ = sarif_of(str(inside), str(outside), "../elsewhere/ledger.md")
    uris = {(location["uri"], location.get("uriBaseId")) for location in locations(document)}
    assert uris == {("docs/specs/ledger.md", SOURCE_ROOT), (outside.as_uri(), None)}


def test_spaces_and_non_ascii_names_are_percent_encoded_utf8(workspace):
    name = "docs/specs/Überblick plan #2.md"
    (workspace / name).write_text(SPEC)
    _, document, _ = sarif_of(name)
    uris = {location["uri"] for location in locations(document)}
    assert uris == {"docs/specs/%C3%9Cberblick%20plan%20%232.md"}
    assert all(URI_REFERENCE.match(uri) for uri in uris)
    outside = workspace.parent / "été notes.md"
    outside.write_text(SPEC)
    _, document, _ = sarif_of(str(outside))
    [uri] = {location["uri"] for location in locations(document)}
    assert uri.startswith("file:///") and uri.endswith("/%C3%A9t%C3%A9%20notes.md")
    assert URI_REFERENCE.match(uri)


def test_the_tool_carries_the_distributions_version():
    _, document, _ = sarif_of("-", stdin=SPEC)
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["name"] == "speclint"
    assert driver["version"] == driver["semanticVersion"] == speclint.__version__
    assert speclint.__version__ == metadata.version("speclint")
    assert re.fullmatch(r"\d+\.\d+\.\d+", driver["semanticVersion"])


def test_every_rule_has_short_and_full_description_and_help(workspace):
    (workspace / "ledger.md").write_text(SPEC)
    _, document, _ = sarif_of("ledger.md")
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(RULES)
    for rule in rules:
        assert rule["shortDescription"]["text"] == RULES[rule["id"]].description
        full = rule["fullDescription"]
        assert full["text"] and full["markdown"]
        assert "`" not in full["text"]
        assert (
            "Reported at:" in rule["help"]["text"]
            and "**Reported at:**" in rule["help"]["markdown"]
        )
    placeholder = next(rule for rule in rules if rule["id"] == "placeholder")
    assert "speclint-disable-next-line placeholder" in placeholder["help"]["text"]
    reason = next(rule for rule in rules if rule["id"] == "suppression-reason")
    assert "To accept one occurrence" not in reason["help"]["text"]  # cannot be suppressed


def test_rule_help_is_the_contracts_wording():
    """The shipped help is docs/lint-rules.md's rule tables, row for row, so they cannot drift.
    The contract's last part, the rules the web app adds (images), is not speclint's."""
    contract = (ROOT / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    linter_part, app_part = contract.split("\n## Images (issue 14)\n")
    row = r"^\| `([a-z-]+)` \| (error|warning|info) \| (.*) \| (.*) \|\s*$"
    rows = re.findall(row, linter_part, re.MULTILINE)
    assert [rule for rule, *_ in re.findall(row, app_part, re.MULTILINE)] == ["image-missing"]
    assert len(rows) >= 29
    for rule, severity, what, where in rows:
        assert RULES[rule].severity == severity
        assert rule_documentation(rule) == (what.replace("\\|", "|"), where)
    for rule in RULES:
        full, where = rule_documentation(rule)
        assert full and where, rule


def fingerprints(document: dict) -> list[tuple[str, str]]:
    return [
        (result["ruleId"], result["partialFingerprints"][FINGERPRINT_KEY])
        for result in document["runs"][0]["results"]
    ]


def test_fingerprints_are_stable_across_runs_and_unrelated_line_shifts(workspace):
    spec = workspace / "ledger.md"
    spec.write_text(SPEC)
    _, first, _ = sarif_of("ledger.md")
    _, again, _ = sarif_of("ledger.md")
    assert fingerprints(first) == fingerprints(again)
    assert len({fingerprint for _, fingerprint in fingerprints(first)}) == len(fingerprints(first))

    spec.write_text(SPEC.replace("# Ledger\n", "# Ledger\n\nA paragraph added.\n\nAnother.\n"))
    _, shifted, _ = sarif_of("ledger.md")
    lines = [
        result["locations"][0]["physicalLocation"]["region"]["startLine"]
        for result in shifted["runs"][0]["results"]
    ]
    assert lines == [line + 4 for line in (3, 7)]
    assert fingerprints(shifted) == fingerprints(first)

    spec.write_text(SPEC.replace("<name>", "<team name>"))
    _, changed, _ = sarif_of("ledger.md")
    assert fingerprints(changed)[0] != fingerprints(first)[0]  # a different finding
    assert fingerprints(changed)[1] == fingerprints(first)[1]


def test_repeated_findings_are_told_apart_and_line_numbers_in_messages_do_not_count(workspace):
    spec = workspace / "ledger.md"
    spec.write_text("# Ledger\n\n## Notes\n\nx\n\n## Notes\n\ny\n\nTODO a\n\nTODO b\n")
    _, first, _ = sarif_of("ledger.md")
    spec.write_text("# Ledger\n\n## Notes\n\nx\n\nmore\n\n## Notes\n\ny\n\nTODO a\n\nTODO b\n")
    _, shifted, _ = sarif_of("ledger.md")
    rules = [rule for rule, _ in fingerprints(first)]
    assert "duplicate-heading" in rules and rules.count("todo-marker") == 2
    duplicate = next(r for r in first["runs"][0]["results"] if r["ruleId"] == "duplicate-heading")
    assert re.search(r"line \d", duplicate["message"]["text"])  # the one the mask is for
    assert fingerprints(shifted) == fingerprints(first)
    todo = [fingerprint for rule, fingerprint in fingerprints(first) if rule == "todo-marker"]
    assert todo[0].rsplit(":", 1)[0] == todo[1].rsplit(":", 1)[0]
    assert [fingerprint.rsplit(":", 1)[1] for fingerprint in todo] == ["1", "2"]


def test_every_input_unreadable_is_still_a_valid_document_that_says_why(workspace):
    (workspace / "latin1.md").write_bytes(b"caf\xe9")
    status, document, err = sarif_of("latin1.md", "missing.md")
    assert status == 2
    [run] = document["runs"]
    assert run["results"] == []
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is False
    notifications = invocation["toolExecutionNotifications"]
    assert [n["level"] for n in notifications] == ["error", "error"]
    assert "not valid UTF-8" in notifications[0]["message"]["text"]
    assert "no such file" in notifications[1]["message"]["text"]
    assert [
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notifications
    ] == ["latin1.md", "missing.md"]
    assert err.count("\n") == 2  # stderr still says it, one line per input


def test_some_inputs_unreadable_keeps_the_results_of_the_others(workspace):
    (workspace / "ledger.md").write_text(SPEC)
    status, document, _ = sarif_of("ledger.md", "missing.md")
    assert status == 2
    [run] = document["runs"]
    assert {result["ruleId"] for result in run["results"]} == {"placeholder", "todo-marker"}
    assert run["invocations"][0]["executionSuccessful"] is False
    status, document, _ = sarif_of("ledger.md")
    assert status == 1
    assert document["runs"][0]["invocations"] == [{"executionSuccessful": True}]


def test_suppressed_findings_validate_with_their_justification(workspace):
    (workspace / "ledger.md").write_text(
        "# Ledger\n\n<!-- speclint-disable-next-line todo-marker -- tracked in LED-12 -->\nTODO\n"
    )
    _, document, _ = sarif_of("ledger.md")
    [result] = document["runs"][0]["results"]
    assert result["suppressions"] == [{"kind": "inSource", "justification": "tracked in LED-12"}]
