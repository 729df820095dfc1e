"""A real OpenID Connect provider for the sign-in tests (django-oauth-toolkit under gunicorn,
in its own process, on a free port in 8500-8599), and the fixtures that start it and point the
app at it. Import the fixtures into a conftest: `from tests.accounts.oidc_provider import …`."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

REPO = Path(__file__).resolve().parents[3]
PORTS = range(8500, 8600)
PROVIDER_NAME = "Test Identity"
CALLBACK_PATH = "/accounts/company/callback/"


@dataclass
class LocalProvider:
    issuer: str
    client_id: str
    client_secret: str
    env: dict[str, str]
    process: subprocess.Popen | None = None

    def allow_redirect_uri(self, uri: str) -> None:
        seed = "tests.accounts.oidc_provider.seed"
        self._manage("-m", seed, self.client_id, self.client_secret, uri)

    def _manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, *args], cwd=REPO, env=self.env, check=True, capture_output=True
        )

    def start(self) -> None:
        self._manage("-m", "django", "migrate", "--noinput")
        self.allow_redirect_uri(f"http://testserver{CALLBACK_PATH}")
        host_port = self.issuer.removeprefix("http://").removesuffix("/o")
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "--bind", host_port),
                *("--workers", "1", "--threads", "4", "--graceful-timeout", "2"),
                *("--log-level", "warning", "tests.accounts.oidc_provider.wsgi:application"),
            ],
            cwd=REPO,
            env=self.env,
            start_new_session=True,  # its own process group: stop() ends the worker too
        )
        try:
            self._wait_until_it_answers()
        except BaseException:
            self.stop()
            raise

    def _wait_until_it_answers(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.discovery_url, timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("the test OIDC provider exited at start")
            time.sleep(0.2)
        raise RuntimeError("the test OIDC provider did not answer within 60 s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8500-8599 for the test OIDC provider")


def write_signing_key(path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def provider_database(name: str) -> dict[str, str]:
    """A fresh database for the provider on the app's own PostgreSQL server."""
    from django.conf import settings

    app_db = settings.DATABASES["default"]
    params = {
        "TEST_OP_DB_NAME": name,
        "TEST_OP_DB_HOST": str(app_db["HOST"] or "127.0.0.1"),
        "TEST_OP_DB_PORT": str(app_db["PORT"] or 5432),
        "TEST_OP_DB_USER": str(app_db["USER"]),
        "TEST_OP_DB_PASSWORD": str(app_db.get("PASSWORD") or ""),
    }
    with server_connection(params) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return params


def server_connection(params: dict[str, str]) -> psycopg.Connection:
    return psycopg.connect(
        dbname="postgres",
        host=params["TEST_OP_DB_HOST"],
        port=params["TEST_OP_DB_PORT"],
        user=params["TEST_OP_DB_USER"],
        password=params["TEST_OP_DB_PASSWORD"],
        autocommit=True,
    )


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    state = tmp_path_factory.mktemp("oidc-provider")
    write_signing_key(state / "signing-key.pem")
    issuer = f"http://127.0.0.1:{free_port()}/o"
    database = provider_database(f"test_oidc_provider_{os.getpid()}")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        **database,
        "DJANGO_SETTINGS_MODULE": "tests.accounts.oidc_provider.settings",
        "TEST_OP_STATE_DIR": str(state),
        "TEST_OP_SECRET_KEY": secrets.token_urlsafe(32),
        "TEST_OP_ISSUER": issuer,
        "PYTHONPATH": str(REPO),
    }
    provider = LocalProvider(
        issuer=issuer,
        client_id="spec-review-" + secrets.token_hex(4),
        client_secret=secrets.token_urlsafe(32),
        env=env,
    )
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()
        with server_connection(database) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database["TEST_OP_DB_NAME"]}"')


@pytest.fixture
def company_sign_in(oidc_provider, settings):
    """The app configured, through its settings, to sign people in at the local provider."""
    from accounts.oidc import forget_discovery

    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_RP_CLIENT_ID = oidc_provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = oidc_provider.client_secret
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    forget_discovery()
    yield oidc_provider
    forget_discovery()
