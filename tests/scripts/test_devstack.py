import os
import subprocess
import sys

from tests.conftest import ROOT


def test_make_run_says_in_one_line_when_postgresql_is_down():
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/spec_review"}
    result = subprocess.run(
        [sys.executable, "scripts/devstack.py", "run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("spec-review: PostgreSQL at 127.0.0.1:1 is not answering")
    assert "Traceback" not in result.stdout + result.stderr
