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
    assert '"gunicorn", "-c", "config/gunicorn.conf.py"' in final_stage
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


def load_compose() -> dict:
    import yaml

    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_describes_the_production_topology():
    """Issue 15: web x2, worker x2, beat x1, PostgreSQL, RabbitMQ, a one-off migrate."""
    services = load_compose()["services"]
    assert {"postgres", "rabbitmq", "migrate", "web", "worker", "beat", "nginx"} <= set(services)
    replicas = {name: s.get("deploy", {}).get("replicas", 1) for name, s in services.items()}
    assert (replicas["web"], replicas["worker"], replicas["beat"]) == (2, 2, 1)
    assert "gunicorn" in services["web"]["command"]
    worker = " ".join(services["worker"]["command"])
    assert "--queues celery,celery-mail" in worker
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert services["rabbitmq"]["image"].startswith("rabbitmq:")
    app_env = services["web"]["environment"]
    assert app_env["DEBUG"] == "0"
    assert app_env["CELERY_BROKER_URL"].startswith("amqp://")
    assert not app_env["CELERY_BROKER_URL"].startswith("filesystem")


def test_compose_restarts_everything_long_running_and_checks_its_health():
    services = load_compose()["services"]
    for name, service in services.items():
        if name == "migrate":
            assert service["restart"] == "no"
            continue
        assert service["restart"] == "unless-stopped", name
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
    assert "/health/live" in " ".join(services["web"]["healthcheck"]["test"])


def test_compose_migrates_once_as_the_owner_before_the_app_starts_as_the_app_role():
    services = load_compose()["services"]
    migrate = services["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert migrate["environment"]["DATABASE_URL"].startswith("postgres://spec_review_owner:")
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["environment"]["DATABASE_URL"].startswith("postgres://spec_review_app:")
        assert service["environment"]["DATABASE_APP_ROLE"] == "spec_review_app"
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    roles = (ROOT / "deploy" / "postgres-roles.sql").read_text()
    assert "CREATE ROLE spec_review_app LOGIN" in roles and "NOSUPERUSER" in roles
    assert "OWNER spec_review_owner" in roles
    mounted = " ".join(services["postgres"]["volumes"])
    assert "deploy/postgres-roles.sql:/docker-entrypoint-initdb.d/" in mounted


def test_compose_gives_each_container_its_own_empty_metrics_folder():
    services = load_compose()["services"]
    assert services["web"]["environment"]["PROMETHEUS_MULTIPROC_DIR"] == "/tmp/metrics"
    assert "/tmp/metrics" in services["web"]["tmpfs"]


def test_dockerignore_keeps_local_data_and_secrets_out_of_the_image():
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", ".data", ".env", "staticfiles"} <= ignored
    for needed in ("config", "core", "templates", "static", "requirements", "manage.py"):
        assert needed not in ignored


def test_the_runbook_points_only_at_tests_that_exist():
    runbook = (ROOT / "docs" / "operations.md").read_text()
    named = re.findall(r"(tests/[\w/]+\.py)(?:::(test_\w+))?", runbook)
    assert len(named) >= 15
    current_file = None
    for path, test in named:
        current_file = ROOT / path
        assert current_file.exists(), path
        if test:
            assert f"def {test}(" in current_file.read_text(), f"{path}::{test}"
    for test in re.findall(r"`::(test_\w+)`", runbook):  # "::name" continues the file before it
        assert any(f"def {test}(" in p.read_text() for p in (ROOT / "tests").rglob("test_*.py")), (
            test
        )
