"""Sentry and OpenTelemetry start only when configured; plain http only for loopback names."""

import json
import os
import subprocess
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.conftest import ROOT

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "observability-test-only-" + "k" * 40,
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",  # never contacted here
}


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, **PRODUCTION, **env}
    for name in ("SENTRY_DSN", "OTEL_EXPORTER_OTLP_ENDPOINT"):
        if name not in env:
            environment.pop(name, None)
    prelude = "import django, os, sys; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; "
    return subprocess.run(
        [sys.executable, "-c", prelude + "django.setup(); " + code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_neither_sdk_is_imported_when_not_configured():
    result = run_django(
        "from django.test import Client; Client().get('/health/live'); "
        "print(sorted(m for m in sys.modules if m.startswith(('sentry_sdk', 'opentelemetry'))))"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


class Receiver(BaseHTTPRequestHandler):
    """A Sentry ingestion endpoint: it keeps what it is sent."""

    envelopes: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        Receiver.envelopes.append(self.path.encode() + b"\n" + body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_with_sentry_dsn_an_error_reaches_the_sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    dsn = f"http://publickey@127.0.0.1:{server.server_address[1]}/42"
    try:
        result = run_django(
            "import logging, sentry_sdk\n"
            "try:\n    1 / 0\n"
            "except ZeroDivisionError:\n"
            "    logging.getLogger('specs.analysis').exception('linter crashed')\n"
            "sentry_sdk.flush(timeout=10)",
            SENTRY_DSN=dsn,
        )
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr[-2000:]
    events = [e for e in Receiver.envelopes if b"ZeroDivisionError" in e]
    assert events, Receiver.envelopes
    assert events[0].startswith(b"/api/42/envelope/")
    event = json.loads(events[0].split(b"\n")[3])  # path, envelope header, item header, event
    assert event["logger"] == "specs.analysis"
    assert event["exception"]["values"][0]["type"] == "ZeroDivisionError"


def test_otel_endpoint_without_the_optional_packages_says_how_to_install_them():
    try:
        import opentelemetry.sdk  # noqa: F401
    except ImportError:
        pass
    else:
        import pytest

        pytest.skip("OpenTelemetry is installed here")
    result = run_django("", OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:1")
    assert result.returncode != 0
    assert "pip install '.[otel]'" in result.stderr


def test_localhost_http_turns_secure_cookies_off_for_loopback_names_only():
    shown = run_django(
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.DEBUG)",
        LOCALHOST_HTTP="1",
    )
    assert shown.stdout.split() == ["False", "False", "False", "0", "False"], shown.stderr[-2000:]

    production = run_django(
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)",
        ALLOWED_HOSTS="spec-review.example.com",
    )
    assert production.stdout.split() == ["True", "True", "True"], production.stderr[-2000:]

    refused = run_django("", LOCALHOST_HTTP="1", ALLOWED_HOSTS="spec-review.example.com")
    assert refused.returncode != 0
    assert "LOCALHOST_HTTP=1 serves plain http to loopback host names only" in refused.stderr
