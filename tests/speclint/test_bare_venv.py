"""``pip install ./speclint`` works in a bare virtualenv on every Python speclint supports.

One virtualenv per Python (3.10 to 3.13) found on this machine, the distribution installed from a
copy of its folder with pip's ordinary build isolation (so a missing build dependency fails), then
``speclint`` run on a seed template: its findings must be exactly the in-process linter's.
"""

import io
import json
import os
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from speclint.cli import main
from tests.conftest import ROOT
from tests.speclint.sarif_schema import schema_errors

DISTRIBUTION = ROOT / "speclint"
SEED = DISTRIBUTION / "src" / "speclint" / "profiles" / "tech-spec.md"
SUPPORTED = ("3.10", "3.11", "3.12", "3.13")
INSTALL_TIMEOUT_SECONDS = 600
# The pyenv interpreters of this machine (and of CI's image), then whatever is on PATH.
PYENV_VERSIONS = Path(os.environ.get("PYENV_ROOT", "/root/.pyenv")) / "versions"


def interpreter(version: str) -> Path | None:
    candidates = sorted(PYENV_VERSIONS.glob(f"{version}.*/bin/python{version}"), reverse=True)
    on_path = shutil.which(f"python{version}")
    for candidate in [*candidates, *([Path(on_path)] if on_path else [])]:
        if candidate.exists():
            return candidate
    return None


def environment() -> dict[str, str]:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONNOUSERSITE": "1"}
    for name in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"):
        env.pop(name, None)
    return env


def copy_of_distribution(target: Path) -> Path:
    # A copy, so the build's egg-info and build/ directories never land in the working tree.
    shutil.copytree(
        DISTRIBUTION,
        target,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist"),
    )
    return target


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, env=environment(), check=False, **kwargs
    )


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def in_process_json(path: Path, *arguments: str) -> dict:
    out = io.StringIO()
    main(["--format", "json", *arguments, str(path)], stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("version", SUPPORTED)
def test_pip_install_of_the_folder_into_a_bare_virtualenv(version: str, tmp_path: Path):
    python = interpreter(version)
    if python is None:
        pytest.skip(
            f"Python {version} is not installed on this machine (looked in "
            f"{PYENV_VERSIONS} and on PATH)"
        )
    started = children_cpu_seconds()
    venv = tmp_path / "venv"
    created = run([str(python), "-m", "venv", str(venv)])
    assert created.returncode == 0, created.stderr
    venv_python = venv / "bin" / "python"
    project = copy_of_distribution(tmp_path / "speclint")
    installed = run(
        [str(venv_python), "-m", "pip", "install", "--quiet", str(project)],
        timeout=INSTALL_TIMEOUT_SECONDS,
    )
    assert installed.returncode == 0, installed.stderr

    spec = tmp_path / "seed.md"
    shutil.copyfile(SEED, spec)
    linted = run(
        [str(venv / "bin" / "speclint"), "--format", "json", "--policy", "backend", str(spec)],
        cwd=tmp_path,
    )
    print(  # noqa: T201 - shown with -s
        f"Python {version}: venv, pip install, lint: {children_cpu_seconds() - started:.1f} s CPU"
    )
    assert linted.returncode == 1, linted.stderr  # the seed template is all placeholders
    printed = json.loads(linted.stdout)
    assert printed == in_process_json(spec, "--policy", "backend")
    [result] = printed["results"]
    assert result["profile"] == "tech-spec"
    rules = {finding["rule"] for finding in result["findings"]}
    assert {"placeholder", "policy-topic"} <= rules  # the policy pack is TOML: tomli on 3.10

    probe = run(
        [
            str(venv_python),
            "-c",
            "import importlib.util as u, sys; "
            "print(sys.version_info[:2] == tuple(map(int, sys.argv[1].split('.')))); "
            "print(sorted(n for n in ('django', 'config', 'core', 'specs', 'reviews', 'accounts')"
            " if u.find_spec(n)))",
            version,
        ],
        cwd=tmp_path,
    )
    assert probe.stdout.split("\n")[:2] == ["True", "[]"], probe.stderr


def test_the_wheel_holds_only_the_speclint_package_and_its_data(tmp_path: Path):
    project = copy_of_distribution(tmp_path / "speclint")
    built = run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(tmp_path / "w"),
            str(project),
        ],
        timeout=INSTALL_TIMEOUT_SECONDS,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "w").glob("speclint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/", 1)[0] for name in names}
    assert {name for name in top_level if not name.endswith(".dist-info")} == {"speclint"}
    for data in ("profiles/tech-spec.md", "profiles/backend-policy.toml", "rule_docs.toml"):
        assert f"speclint/{data}" in names, data
    [metadata] = [name for name in names if name.endswith(".dist-info/METADATA")]
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "Requires-Python: >=3.10" in text
    assert 'Requires-Dist: tomli>=2.0; python_version < "3.11"' in text
    requires = [line for line in text.splitlines() if line.startswith("Requires-Dist:")]
    assert len(requires) == 4 and not any("django" in line.lower() for line in requires)

    # Installed from the wheel (on the oldest Python found), it runs from any directory.
    python = next(filter(None, map(interpreter, SUPPORTED)), Path(sys.executable))
    venv = tmp_path / "venv"
    assert run([str(python), "-m", "venv", str(venv)]).returncode == 0
    installed = run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        timeout=INSTALL_TIMEOUT_SECONDS,
    )
    assert installed.returncode == 0, installed.stderr
    linted = run([str(venv / "bin" / "speclint"), "--format", "sarif", str(SEED)], cwd=tmp_path)
    assert linted.returncode == 1, linted.stderr
    assert schema_errors(json.loads(linted.stdout)) == []
    location = json.loads(linted.stdout)["runs"][0]["results"][0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == SEED.as_uri()


def test_the_package_type_checks_for_the_oldest_supported_python(tmp_path: Path):
    """3.11-only standard library (``tomllib``, multi-name ``Traversable.joinpath``…) fails here
    even where a 3.10 run happens not to reach it."""
    checked = run(
        [
            *(sys.executable, "-m", "mypy", "--python-version", SUPPORTED[0]),
            *("--ignore-missing-imports", "--config-file", os.devnull),
            *("--cache-dir", str(tmp_path / "mypy-cache"), str(DISTRIBUTION / "src" / "speclint")),
        ],
        cwd=tmp_path,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
