"""Other repositories lint their specs with this repository's pre-commit hook.

``pre-commit try-repo`` clones this repository at HEAD (its own shadow commit when the working tree
has uncommitted changes, so a developer tests what they have), installs the hook the way a user's
pre-commit would (the root, then ``./speclint``, in a store of its own that it deletes after
each run, so each run builds the hook environment) and runs it on a scratch repository's specs. A
clean CI clone has a HEAD too; a copy without ``.git`` cannot be offered to pre-commit at all.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

TIMEOUT_SECONDS = 900
GOOD_SPEC = "# Ledger\n\n**Owner:** Aisha Khan\n\nThe ledger keeps every account's balance.\n"
BAD_SPEC = "# Ledger\n\n**Owner:** <owner name>\n\nTODO: say what the ledger keeps.\n"


def git(*arguments: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *arguments], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def scratch_repository(tmp_path: Path) -> Path:
    repository = tmp_path / "other-project"
    (repository / "docs").mkdir(parents=True)
    git("init", "-q", "-b", "main", cwd=repository)
    return repository


def try_repo(repository: Path, *files: str) -> subprocess.CompletedProcess[str]:
    git("add", *files, cwd=repository)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(repository.parent / "pre-commit-home"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    for name in ("PYTHONPATH", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "speclint", "--files", *files],
        cwd=repository,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def test_the_manifest_offers_one_python_hook_for_markdown_that_installs_the_linter():
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "speclint" and hook["entry"] == "speclint"
    assert hook["language"] == "python" and hook["types"] == ["markdown"]
    assert hook["additional_dependencies"] == ["./speclint"]


def test_try_repo_fails_on_a_bad_spec_and_passes_on_a_good_one(scratch_repository: Path):
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: pre-commit can only try a repository it can clone")
    (scratch_repository / "docs" / "bad.md").write_text(BAD_SPEC)
    (scratch_repository / "docs" / "good.md").write_text(GOOD_SPEC)

    failed = try_repo(scratch_repository, "docs/bad.md")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "speclint" in failed.stdout and "Failed" in failed.stdout
    assert "docs/bad.md:3:" in failed.stdout and "placeholder" in failed.stdout
    assert "docs/bad.md:5:1: warning todo-marker" in failed.stdout

    passed = try_repo(scratch_repository, "docs/good.md")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "speclint" in passed.stdout and "Passed" in passed.stdout
