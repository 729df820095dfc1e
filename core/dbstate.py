"""What this process last learnt about PostgreSQL: "unreachable" is remembered for a moment.

While PostgreSQL is down, every request would otherwise wait for the pool and the connect
timeout (3 to 13 s) before its 503. After one request has found it down, the others answer 503 at
once; one cheap probe (a bare connect with a 1 s timeout, at most once per
DATABASE_DOWN_RECHECK_SECONDS, one thread at a time) finds the database again. This is a hint
about the outside world, kept per process on purpose: it decides no data, and each process
finds its own way back.
"""

from __future__ import annotations

import logging
import threading
import time

import psycopg
from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

PROBE_TIMEOUT_SECONDS = 1

_lock = threading.Lock()
_down = False
_next_probe_at = 0.0


def mark_down() -> None:
    global _down, _next_probe_at
    with _lock:
        if not _down:
            logger.warning("database marked unreachable; answering 503 until a probe succeeds")
        _down = True
        _next_probe_at = time.monotonic() + settings.DATABASE_DOWN_RECHECK_SECONDS


def is_known_down() -> bool:
    """True while the database is known to be unreachable; re-probes when the time has come."""
    global _down, _next_probe_at
    if not _down:
        return False
    if time.monotonic() < _next_probe_at or not _lock.acquire(blocking=False):
        return True  # too soon, or another thread is probing right now
    try:
        _next_probe_at = time.monotonic() + settings.DATABASE_DOWN_RECHECK_SECONDS
        if probe():
            _down = False
            logger.info("database reachable again")
        return _down
    finally:
        _lock.release()


def probe() -> bool:
    db = connection.settings_dict
    try:
        psycopg.connect(
            host=db["HOST"] or None,
            port=db["PORT"] or None,
            dbname=db["NAME"],
            user=db["USER"] or None,
            password=db["PASSWORD"] or None,
            connect_timeout=PROBE_TIMEOUT_SECONDS,
            sslmode=db["OPTIONS"].get("sslmode", "prefer"),
        ).close()
    except psycopg.Error:
        return False
    return True


def forget() -> None:
    """For tests: back to knowing nothing."""
    global _down, _next_probe_at
    with _lock:
        _down, _next_probe_at = False, 0.0
