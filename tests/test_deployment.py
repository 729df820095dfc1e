"""What can be checked of the production image without a Docker engine on this machine."""

import os
import re
import subprocess
import sys
import tomllib

from tests.conftest import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_dockerfile_is_multi_stage_non_root_with_a_healthcheck():
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\w+))?", DOCKERFILE, re.MULTILINE)
    assert len(stages) >= 2 and all(image.startswith("python:3.11") for image, _ in stages)
    final_stage = DOCKERFILE.rsplit("\nFROM ", 1)[1]
    users = re.findall(r"^USER\s+(\S+)", final_stage, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert final_stage.index("USER ") < final_stage.index("CMD ")
    assert re.search(r"^HEALTHCHECK .*\n?.*/health/live", final_stage, re.MULTILINE)
    assert "collectstatic" in final_stage
    assert '"gunicorn"' in final_stage
    assert "--require-hashes -r /tmp/app.lock" in DOCKERFILE


def test_dockerfile_copies_every_python_package_the_app_runs_from():
    # The app runs from its checkout (/app in the image): every top-level package must be copied.
    packages = sorted(
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", "bench", "scripts"}
    )
    assert {"accounts", "api", "config", "core", "specs", "webhooks"} <= set(packages)
    for package in packages:
        assert re.search(rf"^COPY (--chown=\S+ )?{package} {package}$", DOCKERFILE, re.MULTILINE), (
            package
        )
    for folder in ("templates", "static"):
        assert f"COPY --chown=app:app {folder} {folder}" in DOCKERFILE


def test_dockerfile_installs_speclint_from_its_folder_and_the_root_ships_no_code():
    build_stage = DOCKERFILE.split("\nFROM ")[1]
    assert re.search(
        r"^COPY speclint (\S+)\nRUN /opt/venv/bin/pip install --no-deps \1$",
        build_stage,
        re.MULTILINE,
    )
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["tool"]["setuptools"]["packages"] == []
    assert "scripts" not in pyproject["project"]


def test_app_lock_pins_every_app_dependency_with_hashes():
    lock = (ROOT / "requirements" / "app.lock").read_text()
    pinned = {
        line.split("==")[0].lower()
        for line in lock.splitlines()
        if "==" in line and not line.startswith(" ")
    }
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    speclint = tomllib.loads((ROOT / "speclint" / "pyproject.toml").read_text())
    wanted = [
        requirement
        for requirement in (
            pyproject["project"]["dependencies"]
            + pyproject["project"]["optional-dependencies"]["app"]
            + speclint["project"]["dependencies"]
        )
        # speclint is installed from its folder; tomli only on Pythons the app does not run on.
        if not requirement.startswith("speclint") and "python_version < '3.11'" not in requirement
    ]
    assert any(
        requirement.startswith("speclint")
        for requirement in pyproject["project"]["optional-dependencies"]["app"]
    )
    for requirement in wanted:
        name = re.split(r"[<>=\[ ;]", requirement, maxsplit=1)[0].lower()
        assert name in pinned, name
    assert "speclint" not in pinned
    assert "--hash=sha256:" in lock


def test_collectstatic_succeeds_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "collectstatic-only-but-long-enough-to-look-real-0123456789",
        "STATIC_ROOT": str(tmp_path / "static"),
        "CELERY_BROKER_URL": "redis://build:6379/0",  # as in the Dockerfile: never contacted
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "django_htmx/htmx-2.min.js" in manifest
    assert "vendor/mermaid/mermaid.min.js" in manifest


def test_compose_restarts_every_process_and_runs_mail_apart():
    """Issue 9 item 6: a worker that died stayed dead; whatever runs it must restart it."""
    import yaml

    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    assert {"web", "worker", "mailer", "beat"} <= set(services)
    assert {service["restart"] for service in services.values()} == {"unless-stopped"}
    assert "celery-mail" in services["mailer"]["command"]
    assert "celery" in services["worker"]["command"]
