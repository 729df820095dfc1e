import json
import logging
import time

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

from core import dbstate, health
from core.client_ip import client_ip
from core.outage import is_database_outage
from core.request_context import new_request_id, reset_request_id, set_client_ip, set_request_id

logger = logging.getLogger("spec_review.request")

RETRY_AFTER_SECONDS = 30


class RequestIdMiddleware:
    """Gives every request an id (from X-Request-ID when sane), logs it and echoes it back.

    Health probes are answered here, first, so that a load balancer's Host header or HTTP
    scheme never turns a liveness probe into a 400 or a redirect.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id(request.headers.get("X-Request-ID"))
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_id(request_id)
        # A forwarded header is whatever the client wants it to be unless a trusted proxy
        # wrote it, and the audit trail must not record fiction (core.client_ip).
        ip_token = set_client_ip(client_ip(request))
        started = time.perf_counter()
        try:
            response = self.answer_health_probe(request) or self.get_response(request)
            response["X-Request-ID"] = request_id
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    # Only a user already loaded: looking one up here could hit a dead database.
                    "user_id": getattr(getattr(request, "_cached_user", None), "pk", None),
                },
            )
            return response
        finally:
            reset_request_id(token)
            ip_token.var.reset(ip_token)

    @staticmethod
    def answer_health_probe(request: HttpRequest) -> HttpResponse | None:
        if request.path == "/health/live":
            return JsonResponse({"status": "ok"})
        if request.path == "/health/ready":
            failures = health.readiness()
            if failures:
                response = JsonResponse({"status": "unavailable", "down": failures}, status=503)
                response["Retry-After"] = str(RETRY_AFTER_SECONDS)
                return response
            return JsonResponse({"status": "ok"})
        return None


class DatabaseUnavailableMiddleware:
    """Answers 503 with a friendly page (never a traceback) while PostgreSQL is unreachable.

    Once one request has found the database down, the next ones answer at once instead of
    each waiting for the connect timeout; it recovers by itself (core.dbstate re-probes).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if dbstate.is_known_down():
            return self.unavailable_response(request)
        response = self.get_response(request)
        if getattr(request, "database_unavailable", False):
            dbstate.mark_down()
            return self.unavailable_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_outage(exception):
            dbstate.mark_down()
            logger.error("database unavailable", extra={"error": str(exception)[:200]})
            return self.unavailable_response(request)
        return None

    @staticmethod
    def unavailable_response(request: HttpRequest) -> HttpResponse:
        if request.headers.get("Accept", "").startswith("application/json"):
            body = json.dumps({"status": "unavailable", "down": ["database"]})
            response = HttpResponse(body, status=503, content_type="application/json")
        else:
            # Rendered without a request context: context processors would touch the database.
            html = loader.render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
            response = HttpResponse(html, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
