"""API: latency and SQL queries per request, and what django-ninja adds over a plain view.

Runs against a throwaway database on the configured PostgreSQL (DATABASE_URL, or the embedded
one). For each endpoint it prints p50/p95 over REQUESTS calls through Django's test client with
a real token; "plain view" is the same list computed by a bare Django function view returning
JsonResponse (no schema validation, no ninja), so the difference is the library's cost.

    .venv/bin/python bench/api_bench.py
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import django_setup  # noqa: F401  (configures Django before the imports below)
from django.conf import settings
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

SPECS = 300
REQUESTS = 60
SPEC_TEXT = b"# Bench\n\n## Context\n\nA spec for the API benchmark.\n"


def main() -> None:
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.API_RATE_LIMIT = (10**9, 60)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def plain_list_view(request):
    """The list endpoint's work without the library: same query, same fields, JsonResponse."""
    from django.http import JsonResponse

    from api.endpoints.serialize import spec_out, specs_for_listing
    from specs.permissions import visible_specs

    page = list(specs_for_listing(visible_specs(request.user)).order_by("-pk")[:51])
    return JsonResponse({"items": [spec_out(s).model_dump(mode="json") for s in page[:50]]})


def timed(client: Client, method: str, url: str) -> tuple[list[float], int]:
    # request_started empties the query log, so the capture must start from an empty one.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url)
    assert response.status_code < 400, (url, response.status_code, response.content[:300])
    samples = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        getattr(client, method)(url)
        samples.append((time.perf_counter() - start) * 1000)
    return samples, len(captured.captured_queries)


def run() -> None:
    from django.contrib.auth import get_user_model

    from api.actions import create_token
    from api.models import Scope
    from specs import actions
    from specs.models import Profile

    author = get_user_model().objects.create_user("bench", password="bench-password-123")
    generic = Profile.objects.get(name="generic")
    for n in range(SPECS):
        spec = actions.create_spec(
            title=f"Bench {n}", slug=f"bench-{n}", profile=generic, author=author
        )
        actions.upload_version(spec=spec, data=SPEC_TEXT, uploaded_by=author)
    secret = create_token(owner=author, name="bench", scope=Scope.UPLOAD, expires_in_days=7).secret
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    plain = Client()
    plain.force_login(author)

    from django.urls import path

    from config import urls

    urls.urlpatterns.append(path("bench/plain-list/", plain_list_view))

    rows = [
        ("GET /api/v1/specs (50 of 300)", timed(client, "get", "/api/v1/specs")),
        ("plain view, same 50", timed(plain, "get", "/bench/plain-list/")),
        ("GET /api/v1/specs/{slug}", timed(client, "get", "/api/v1/specs/bench-1")),
        ("GET …/review", timed(client, "get", "/api/v1/specs/bench-1/review")),
        (
            "GET …/versions/1/lint.sarif",
            timed(client, "get", "/api/v1/specs/bench-1/versions/1/lint.sarif"),
        ),
        ("GET /api/v1/openapi.json", timed(client, "get", "/api/v1/openapi.json")),
    ]
    print(f"{SPECS} specs, {REQUESTS} requests per row (Django test client, same process)")
    print(f"{'endpoint':<34} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name, (samples, queries) in rows:
        p95 = statistics.quantiles(samples, n=20)[18]
        print(f"{name:<34} {queries:>8} {statistics.median(samples):>8.2f} {p95:>8.2f}")


if __name__ == "__main__":
    main()
