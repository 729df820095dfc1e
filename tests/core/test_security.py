import os
import secrets
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.conftest import ROOT


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-eval" not in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_images_load_only_from_the_apps_own_origin(client, reviewed_spec, people):
    """No rendered spec or diagram may make a reader's browser contact another host."""
    client.force_login(people["jonas"])
    policy = client.get(reverse("reviews:spec", args=[reviewed_spec.slug]))[
        "Content-Security-Policy"
    ]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["img-src"].split() == ["'self'", "data:"]
    assert directives["connect-src"] == "'self'" and directives["default-src"] == "'self'"


@pytest.mark.django_db
def test_htmx_is_loaded_from_our_static_files_with_a_strict_config(client, make_user):
    client.force_login(make_user())
    html = client.get(reverse("reviews:home")).content.decode()
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert '"allowEval": false' in html and '"selfRequestsOnly": true' in html
    assert '"includeIndicatorStyles": false' in html
    assert 'hx-headers=\'{"X-CSRFToken"' in html


@pytest.mark.django_db
def test_post_without_csrf_token_is_refused_even_for_htmx(make_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    response = client.post(reverse("accounts:logout"), HTTP_HX_REQUEST="true")
    assert response.status_code == 403


def test_production_settings_pass_check_deploy():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "specs.example.com",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # only the browser tests need it
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_filesystem_broker_with_a_clear_message():
    """Issue 9 item 13: a folder broker in production was a worker that never ran a task."""
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50)}
    env.pop("CELERY_BROKER_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "filesystem broker is for development only" in result.stderr
    assert "Set CELERY_BROKER_URL" in result.stderr
