"""`make run`'s web server as devstack starts it: gunicorn, DEBUG off, whitenoise, /metrics.

Each test starts real gunicorn processes with the environment devstack builds for them
(scripts/devstack.py `production_env` and `web_command`), against the test database.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import ROOT, database_url_for
from tests.notifications.conftest import free_port

sys.path.insert(0, str(ROOT / "scripts"))
import devstack


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (http, our server)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our server)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def production_web(transactional_db, tmp_path, monkeypatch):
    """Start devstack's production web server on a free port; yields (base URL, env)."""
    monkeypatch.setattr(devstack, "DATA", tmp_path / "data")
    port = free_port()
    base = {
        **os.environ,
        "DATABASE_URL": database_url_for(settings.DATABASES["default"]["NAME"]),
        "DATABASE_POOL": "0",
    }
    base.pop("DEBUG", None)
    base.pop("SECRET_KEY", None)
    env = devstack.production_env(base)
    command = devstack.web_command(env, port, production=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    log = (tmp_path / "web.log").open("w")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if fetch(f"{url}/health/live")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, (tmp_path / "web.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "gunicorn did not answer"
            time.sleep(0.2)
        yield url, env
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_secret_is_generated_once_and_readable_by_its_owner_only(tmp_path, monkeypatch):
    monkeypatch.setattr(devstack, "DATA", tmp_path)
    first = devstack.local_secret_key()
    assert len(first) >= 50
    assert devstack.local_secret_key() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_make_run_serves_with_debug_off_whitenoise_and_its_own_error_pages(production_web):
    url, env = production_web
    assert env["DEBUG"] == "0" and env["LOCALHOST_HTTP"] == "1"

    status, headers, body = fetch(f"{url}/accounts/login/")
    assert status == 200
    # A session works on plain http here: the cookies are not marked Secure, and no HSTS.
    assert "Secure" not in headers.get("Set-Cookie", "")
    assert "Strict-Transport-Security" not in headers

    stylesheet = re.search(rb'href="(/static/css/app\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, "the page links a stylesheet with a hashed (cache-busting) name"
    status, headers, css = fetch(url + stylesheet.group(1).decode())
    assert status == 200 and css
    assert "max-age=315360000" in headers["Cache-Control"]  # whitenoise: immutable file
    _, _, metrics = fetch(f"{url}/metrics", {"Authorization": f"Bearer {env['METRICS_TOKEN']}"})
    assert b'spec_review_http_requests_total{method="GET",status="200",view="<static>"} 1.0' in (
        metrics
    )

    status, _, body = fetch(f"{url}/there-is-nothing-here")
    assert status == 404
    assert b"<title>Not found \xc2\xb7 Spec Review</title>" in body
    assert b"Traceback" not in body and b"DEBUG = True" not in body


def test_make_run_refuses_other_host_names(production_web):
    url, _ = production_web
    status, _, body = fetch(f"{url}/accounts/login/", headers={"Host": "spec-review.example.com"})
    assert status == 400
    assert b"<title>Bad request \xc2\xb7 Spec Review</title>" in body  # our page, not a 500


def test_metrics_add_up_across_two_gunicorn_workers(production_web):
    url, env = production_web
    assert env["WEB_CONCURRENCY"] == "2"
    requests = 40

    # In parallel, so that both workers answer some.
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: fetch(f"{url}/accounts/login/")[0], range(requests)))
    assert statuses == [200] * requests

    writers = {
        match.group(1)
        for path in Path(env["PROMETHEUS_MULTIPROC_DIR"]).iterdir()
        if (match := re.fullmatch(r"counter_(\d+)\.db", path.name))
    }
    assert len(writers) == 2, f"both gunicorn workers counted requests: {writers}"

    assert fetch(f"{url}/metrics")[0] == 404  # nobody may read it without the token
    assert fetch(f"{url}/metrics", {"Authorization": "Bearer wrong"})[0] == 404
    status, _, body = fetch(f"{url}/metrics", {"Authorization": f"Bearer {env['METRICS_TOKEN']}"})
    assert status == 200
    text = body.decode()
    line = re.search(
        r'^spec_review_http_requests_total\{method="GET",status="200",view="accounts:login"\} '
        r"(\S+)$",
        text,
        re.MULTILINE,
    )
    assert line and float(line.group(1)) == requests, text[:3000]
    assert re.search(r'^spec_review_http_request_sql_queries_count\{view="accounts:login"\} 40\.0$',
                     text, re.MULTILINE)  # fmt: skip
    assert "spec_review_database_up 1.0" in text
    assert re.search(r"^spec_review_worker_heartbeat_age_seconds ", text, re.MULTILINE)


def test_gunicorn_empties_a_private_metrics_folder_and_forgets_dead_workers(tmp_path, monkeypatch):
    import runpy

    hooks = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_123.db").write_bytes(b"old run")
    (folder / "gauge_livesum_456.db").write_bytes(b"dead worker")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))

    monkeypatch.delenv("METRICS_DIR_PRIVATE", raising=False)
    hooks["on_starting"](None)  # shared with Celery (make run): devstack empties it, not gunicorn
    assert (folder / "counter_123.db").exists()

    monkeypatch.setenv("METRICS_DIR_PRIVATE", "1")
    hooks["on_starting"](None)
    assert not list(folder.iterdir())

    (folder / "gauge_livesum_456.db").write_bytes(b"dead worker")
    (folder / "counter_456.db").write_bytes(b"its counts stay")
    hooks["child_exit"](None, type("Worker", (), {"pid": 456})())
    assert not (folder / "gauge_livesum_456.db").exists()
    assert (folder / "counter_456.db").exists()


def test_make_dev_keeps_the_autoreloading_development_server():
    command = devstack.web_command({}, 8000, production=False)
    assert command[-2:] == ["runserver", "127.0.0.1:8000"]
    assert "--noreload" not in command
