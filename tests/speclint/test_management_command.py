import io
import json
from pathlib import Path

import pytest

pytest.importorskip("django")

from django.core.management.base import CommandError

from specs.management.commands.lint_spec import Command


def test_run_from_argv_passes_raw_arguments_and_exits_with_the_status(tmp_path: Path, capsys):
    spec = tmp_path / "spec.md"
    spec.write_text("# T\n\nOwner: <name>\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "lint_spec", "--format", "json", str(spec)])
    assert exited.value.code == 1
    assert json.loads(capsys.readouterr().out)["results"][0]["findings"][0]["rule"] == "placeholder"


def test_handle_reports_a_non_zero_status_as_command_error(tmp_path: Path):
    spec = tmp_path / "spec.md"
    spec.write_text("# T\n\nOwner: <name>\n", encoding="utf-8")
    command = Command(stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError) as failed:
        command.handle(speclint_args=["--format", "text", str(spec)])
    assert failed.value.returncode == 1
    clean = tmp_path / "clean.md"
    clean.write_text("# T\n\nFine.\n", encoding="utf-8")
    command.handle(speclint_args=[str(clean)])
