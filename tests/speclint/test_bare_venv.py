"""``speclint`` works from a bare virtualenv: pip install the project (with its dependencies)."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[3]
INSTALL_TIMEOUT_SECONDS = 600


def _copy_project(target: Path) -> None:
    # A copy, so the build's egg-info and build/ directories never land in the working tree.
    for name in ("pyproject.toml", "README.md"):
        if (REPOSITORY / name).exists():
            shutil.copy2(REPOSITORY / name, target / name)
    shutil.copytree(
        REPOSITORY / "specs",
        target / "specs",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )


def test_speclint_from_a_fresh_virtualenv(tmp_path: Path):
    project = tmp_path / "project"
    project.mkdir()
    _copy_project(project)
    venv = tmp_path / "venv"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    environment = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    environment.pop("PYTHONPATH", None)
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(project)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=INSTALL_TIMEOUT_SECONDS,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    spec = tmp_path / "spec.md"
    spec.write_text("# Ledger\n\nOwner: <name>\n", encoding="utf-8")
    linted = subprocess.run(
        [str(venv / "bin" / "speclint"), "--format", "json", str(spec)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        check=False,
    )
    elapsed = time.perf_counter() - started
    print(f"bare virtualenv install and lint: {elapsed:.1f} s")  # noqa: T201 - shown with -s
    assert linted.returncode == 1, linted.stderr
    data = json.loads(linted.stdout)
    [result] = data["results"]
    assert result["profile"] == "generic"
    assert [(f["rule"], f["line"], f["column"]) for f in result["findings"]] == [
        ("placeholder", 3, 8)
    ]
    django_free = subprocess.run(
        [
            str(python),
            "-c",
            "import importlib.util, sys; sys.exit(importlib.util.find_spec('django') is not None)",
        ],
        check=False,
    )
    assert django_free.returncode == 0, "the bare install must not need Django"
