import io
import json
from pathlib import Path

import pytest

from speclint.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    path = tmp_path / "clean.md"
    path.write_text("# Notes\n\nMüller reviewed the façade.\n", encoding="utf-8")
    return path


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.md"
    path.write_text("# Notes\n\nOwner: <name>\n", encoding="utf-8")
    return path


def test_exit_0_without_errors(clean: Path):
    status, out, err = run(str(clean))
    assert (status, err) == (0, "")
    assert out == "0 errors, 0 warnings, 0 info in 1 file\n"


def test_exit_1_with_an_error_and_text_lines(broken: Path):
    status, out, _ = run(str(broken))
    assert status == 1
    assert out.splitlines()[0] == f"{broken}:3:8: error placeholder Unfilled placeholder '<name>'"


def test_warnings_alone_exit_0(tmp_path: Path):
    path = tmp_path / "todo.md"
    path.write_text("# T\n\nTODO\n", encoding="utf-8")
    assert run(str(path))[0] == 0


def test_json_and_sarif_formats(clean: Path, broken: Path):
    status, out, _ = run("--format", "json", str(clean), str(broken))
    data = json.loads(out)
    assert status == 1
    assert [result["path"] for result in data["results"]] == [str(clean), str(broken)]
    status, out, _ = run("--format", "sarif", str(broken))
    assert json.loads(out)["runs"][0]["results"][0]["ruleId"] == "placeholder"


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"caf\xe9", "not valid UTF-8"), (b"ab\x00c", "NUL byte"), (b"\x89PNG\r\n\x1a\n", "PNG")],
)
def test_unreadable_file_exits_2_with_a_one_line_reason(
    tmp_path: Path, content: bytes, reason: str
):
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    status, out, err = run(str(path))
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and reason in err and str(path) in err


def test_missing_file_exits_2(tmp_path: Path):
    status, _, err = run(str(tmp_path / "nope.md"))
    assert status == 2
    assert "no such file" in err


def test_usage_errors_exit_2(clean: Path):
    assert run()[0] == 2
    assert run("--format", "xml", str(clean))[0] == 2
    status, _, err = run("--profile", "no-such-profile", str(clean))
    assert status == 2 and "no-such-profile" in err


def test_profile_by_name_and_by_template(tmp_path: Path, clean: Path):
    status, out, _ = run("--profile", "tech-spec", "--format", "json", str(clean))
    assert status == 1
    assert json.loads(out)["results"][0]["profile"] == "tech-spec"
    template = tmp_path / "my-template.md"
    template.write_text("# T\n\n## Context\n<what>\n\n## Risks\n<risks>\n", encoding="utf-8")
    status, out, _ = run("--profile", str(template), "--format", "json", str(clean))
    findings = json.loads(out)["results"][0]["findings"]
    assert json.loads(out)["results"][0]["profile"] == "my-template"
    assert sorted(f["message"] for f in findings if f["rule"] == "required-section") == [
        "Required section 'Context' is missing",
        "Required section 'Risks' is missing",
    ]


def test_policy_option(clean: Path):
    status, out, _ = run("--policy", "backend", "--format", "json", str(clean))
    rules = {f["rule"] for f in json.loads(out)["results"][0]["findings"]}
    assert rules == {"policy-topic"}
    assert status == 0


def test_crlf_file_keeps_its_line_numbers(tmp_path: Path):
    path = tmp_path / "crlf.md"
    path.write_bytes(b"\xef\xbb\xbf# T\r\n\r\nOwner: <name>\r\n")
    _, out, _ = run(str(path))
    assert out.startswith(f"{path}:3:8:")


def test_version_names_the_distribution(capsys: pytest.CaptureFixture[str]):
    import speclint

    assert run("--version")[0] == 0
    assert capsys.readouterr().out == f"speclint {speclint.__version__}\n"
