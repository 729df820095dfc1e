"""Company sign-in: what one OpenID Connect callback costs the app, beside a password sign-in.

Starts the tests' local provider (django-oauth-toolkit under gunicorn, port 8500-8599), signs
SIGN_INS people in through it and times only the app's callback request (token exchange, JWKS,
userinfo, matching, audit, login): CPU time of this process (the provider runs in another),
wall time, SQL queries and HTTP calls to the provider. Then the same for a password sign-in
with the production hasher (PBKDF2), which is what the callback replaces.

    .venv/bin/python bench/oidc_bench.py
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import django_setup  # noqa: F401  (configures Django before the imports below)
import requests
from django.conf import settings
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

SIGN_INS = int(os.environ.get("SIGN_INS", "20"))


class CountingRequests:
    """Counts the app's HTTP calls (mozilla-django-oidc uses requests.get/post)."""

    def __init__(self):
        self.calls = 0
        self._real = requests.api.request

    def __enter__(self):
        def counted(*args, **kwargs):
            self.calls += 1
            return self._real(*args, **kwargs)

        requests.api.request = counted
        return self

    def __exit__(self, *exc):
        requests.api.request = self._real


def measure(label: str, run) -> None:
    cpu, wall, queries, calls = [], [], [], []
    for _ in range(SIGN_INS):
        client, prepared = run.prepare()
        reset_queries()
        with CaptureQueriesContext(connection) as captured, CountingRequests() as http:
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            response = run.finish(client, prepared)
            cpu.append((time.process_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start_wall) * 1000)
        assert response.status_code == 302 and "login" not in response["Location"], response
        queries.append(len(captured))
        if os.environ.get("SHOW_QUERIES"):
            print("\n".join(q["sql"][:150] for q in captured.captured_queries))
        calls.append(http.calls)
    print(
        f"{label:<38} cpu p50 {statistics.median(cpu):6.1f} ms  wall p50 "
        f"{statistics.median(wall):6.1f} ms  queries {max(queries):3d}  http {max(calls)}"
    )


class ProviderSignIn:
    def __init__(self, provider, person):
        from tests.accounts.test_company_sign_in import provider_login

        self.login, self.person = provider_login, person

    def prepare(self):
        client = Client()
        return client, self.login(client, self.person)

    def finish(self, client, callback):
        return client.get(callback)


class PasswordSignIn:
    def prepare(self):
        return Client(), None

    def finish(self, client, _):
        return client.post("/accounts/login/", {"username": "bench", "password": "bench pass 2026"})


def main() -> None:

    from accounts.models import User
    from tests.accounts.oidc_provider import LocalProvider, free_port, write_signing_key
    from tests.accounts.oidc_provider.people import ADA

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    state = Path(tempfile.mkdtemp(prefix="oidc-bench-"))
    write_signing_key(state / "signing-key.pem")
    issuer = f"http://127.0.0.1:{free_port()}/o"
    provider = LocalProvider(
        issuer=issuer,
        client_id="bench",
        client_secret="bench-secret-0123456789",
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
            "DJANGO_SETTINGS_MODULE": "tests.accounts.oidc_provider.settings",
            "TEST_OP_STATE_DIR": str(state),
            "TEST_OP_SECRET_KEY": "bench-secret-key",
            "TEST_OP_ISSUER": issuer,
            "PYTHONPATH": str(ROOT),
        },
    )
    provider.start()
    try:
        settings.OIDC_ISSUER, settings.OIDC_ENABLED = issuer, True
        settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "bench", provider.client_secret
        User.objects.create_user("ada", email="ada.lovelace@example.com")
        User.objects.create_user("bench", password="bench pass 2026")
        print(f"{SIGN_INS} sign-ins each; load average {os.getloadavg()}")
        measure("OIDC callback (matched by e-mail)", ProviderSignIn(provider, ADA))
        measure("password sign-in (PBKDF2, default)", PasswordSignIn())
    finally:
        provider.stop()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
