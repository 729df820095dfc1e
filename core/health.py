"""Readiness checks: each returns None when healthy or a short reason when not."""

import logging
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from core import dbstate
from core.outage import is_database_outage

logger = logging.getLogger(__name__)


def check_database() -> str | None:
    if dbstate.is_known_down():
        return "unreachable (a recent connect failed; re-probing)"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not ready", whatever the driver raised
        if is_database_outage(exc):
            dbstate.mark_down()
        return f"{type(exc).__name__}: {exc}".strip()[:200]
    return None


def check_broker() -> str | None:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        if not folder.is_dir():
            return f"broker folder {folder} is missing"
        return None
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}".strip()[:200]
    return None


def check_worker() -> str | None:
    """A Celery worker wrote a heartbeat lately (beat asks for one every minute)."""
    stale_after = settings.HEALTH_WORKER_STALE_SECONDS
    if stale_after <= 0:
        return None
    from core.models import WorkerHeartbeat

    latest = WorkerHeartbeat.objects.aggregate(latest=Max("seen_at"))["latest"]
    if latest is None:
        return "no Celery worker has ever written a heartbeat"
    age = (timezone.now() - latest).total_seconds()
    if age > stale_after:
        return f"no Celery worker heartbeat for {int(age)} s (limit {stale_after} s)"
    return None


def readiness() -> dict[str, str]:
    """Names of what is down, with the reason; empty when everything answers."""
    failures: dict[str, str] = {}
    checks = (("database", check_database), ("broker", check_broker), ("worker", check_worker))
    for name, check in checks:
        if name == "worker" and "database" in failures:
            continue  # the heartbeats live in the database
        reason = check()
        if reason:
            logger.warning("readiness check failed", extra={"check": name, "reason": reason})
            failures[name] = reason
    return failures
