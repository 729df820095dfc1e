"""Prometheus metrics at /metrics: per-view requests, latency and SQL, and the state of the work.

Counters and histograms are kept by prometheus-client. Under gunicorn each worker is its own
process, so with PROMETHEUS_MULTIPROC_DIR set every process writes its values to files in that
folder and a scrape adds them up (the gunicorn `child_exit` hook in config/gunicorn.conf.py
forgets a dead worker's live gauges; its counts stay). What the outbox, the queues and the
workers are doing is read at scrape time (`WorkCollector`): it is shared state, not a
process's, and a stale copy would lie. See docs/decisions/0014.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from core import dbstate
from core.outage import is_database_outage
from specs import permissions

logger = logging.getLogger(__name__)

UNMATCHED = "<unmatched>"  # no URL pattern matched (a 404 before any view)
STATIC = "<static>"

REQUESTS = Counter(
    "spec_review_http_requests",
    "HTTP requests answered, by view, method and status",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "spec_review_http_request_duration_seconds",
    "Time to answer a request, by view",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
SQL_PER_REQUEST = Histogram(
    "spec_review_http_request_sql_queries",
    "SQL statements one request ran, by view",
    ["view"],
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200),
)
RENDER_SECONDS = Histogram(
    "spec_review_render_duration_seconds",
    "Time to render one spec version to HTML",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
LINT_SECONDS = Histogram(
    "spec_review_lint_duration_seconds",
    "Time to lint one spec version",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class MetricsMiddleware:
    """Counts and times every request, and the SQL it ran, under the name of its view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/metrics" and has_scrape_token(request):
            # Answered here, ahead of the host check and the database-down page, so that a
            # scraper by IP address gets its numbers, and the database's outage among them.
            return metrics_response()
        statements = 0

        def count(execute, sql, params, many, context):
            nonlocal statements
            statements += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match:
            view = match.view_name or match._func_path
        elif request.path.startswith(f"/{settings.STATIC_URL.strip('/')}/"):
            view = STATIC  # whitenoise answers before any URL pattern
        else:
            view = UNMATCHED
        REQUESTS.labels(view, request.method, str(response.status_code)).inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        SQL_PER_REQUEST.labels(view).observe(statements)
        return response


class WorkCollector(Collector):
    """Gauges computed when scraped: outbox backlog, queue depth, worker heartbeat age."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        database_up = GaugeMetricFamily(
            "spec_review_database_up", "1 when this scrape could query PostgreSQL"
        )
        families: list[GaugeMetricFamily] = []
        if not dbstate.is_known_down():  # known down: no wait for a connect timeout
            try:
                families = list(self._from_database())
            except Exception as exc:  # a scrape must answer while the database is down
                if is_database_outage(exc):
                    dbstate.mark_down()
                logger.warning("metrics: database unreachable", extra={"error": str(exc)[:200]})
        database_up.add_metric([], 1 if families else 0)
        yield database_up
        yield from families
        yield self._queue_depth()

    @staticmethod
    def _from_database() -> Iterator[GaugeMetricFamily]:
        from django.db.models import Count, Max

        from core.models import WorkerHeartbeat
        from notifications.models import Notification, State
        from webhooks.models import Delivery, DeliveryState

        backlog = GaugeMetricFamily(
            "spec_review_outbox_backlog",
            "Outbox rows not (yet) delivered, by outbox and state",
            labels=["outbox", "state"],
        )
        done = {State.SENT, State.SKIPPED}
        rows = Notification.objects.exclude(state__in=done).values("state").annotate(n=Count("pk"))
        counts = {row["state"]: row["n"] for row in rows}
        for state in State:
            if state not in done:
                backlog.add_metric(["email", state.value], counts.get(state.value, 0))
        deliveries = (
            Delivery.objects.exclude(state=DeliveryState.DELIVERED)
            .values("state")
            .annotate(n=Count("pk"))
        )
        counts = {row["state"]: row["n"] for row in deliveries}
        for delivery_state in DeliveryState:
            if delivery_state != DeliveryState.DELIVERED:
                backlog.add_metric(
                    ["webhook", delivery_state.value], counts.get(delivery_state.value, 0)
                )
        heartbeat = GaugeMetricFamily(
            "spec_review_worker_heartbeat_age_seconds",
            "Seconds since any Celery worker last wrote a heartbeat (-1: never)",
        )
        latest = WorkerHeartbeat.objects.aggregate(latest=Max("seen_at"))["latest"]
        age = (timezone.now() - latest).total_seconds() if latest else -1
        heartbeat.add_metric([], age)
        yield backlog
        yield heartbeat

    @staticmethod
    def _queue_depth() -> GaugeMetricFamily:
        from kombu import Connection

        from config.celery import app
        from core.queueing import mail_queue_name

        depth = GaugeMetricFamily(
            "spec_review_queue_depth",
            "Messages waiting in each Celery queue (-1: the broker did not answer)",
            labels=["queue"],
        )
        queues = [app.conf.task_default_queue, mail_queue_name(app.conf.task_default_queue)]
        found: dict[str, float] = dict.fromkeys(queues, -1.0)
        try:
            with Connection(
                settings.CELERY_BROKER_URL,
                connect_timeout=2,
                transport_options=app.conf.broker_transport_options,
            ) as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
                for queue in queues:
                    channel = conn.channel()
                    try:
                        found[queue] = channel.queue_declare(queue=queue, passive=True)[1]
                    except Exception:
                        found[queue] = 0  # never declared: nothing has ever waited there
                    finally:
                        channel.close()
        except Exception as exc:
            logger.warning("metrics: broker unreachable", extra={"error": str(exc)[:200]})
        for queue, count in found.items():
            depth.add_metric([queue], count)
        return depth


def scrape_registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_ProcessRegistry())
    registry.register(WorkCollector())
    return registry


class _ProcessRegistry(Collector):
    """This process's own metrics, when no multiprocess folder is configured (runserver, tests)."""

    def collect(self):
        return REGISTRY.collect()


def has_scrape_token(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    if not token or not sent.startswith("Bearer "):
        return False
    return hmac.compare_digest(sent.removeprefix("Bearer ").encode(), token.encode())


def metrics_response() -> HttpResponse:
    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_LATEST)


@login_not_required
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """/metrics for a staff member's browser (a scraper with the token is answered earlier)."""
    # 404, not 401/403: nothing tells a stranger that there is something here.
    if not permissions.is_site_admin(request.user):
        raise Http404
    return metrics_response()
