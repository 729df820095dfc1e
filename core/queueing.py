"""Publishing Celery tasks after commit, without letting a broker outage break the request.

A task published here is a nudge, never the only record of work: every task we enqueue has a
database row (a pending render, an unsent notification) that a periodic sweep re-enqueues, so
a publish that fails while the broker is down loses nothing.
"""

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


# After a failed publish, this process skips publishing for a few seconds: the rows wait for the
# sweep either way, and a change that notifies twenty people must not wait twenty publish
# timeouts while the broker is away.
SKIP_AFTER_FAILURE_SECONDS = 5.0
_broker_failed_at: float | None = None


def publish(task: Any, *args: Any, **kwargs: Any) -> bool:
    global _broker_failed_at
    name = getattr(task, "name", repr(task))
    if _broker_failed_at is not None:
        if time.monotonic() - _broker_failed_at < SKIP_AFTER_FAILURE_SECONDS:
            logger.info("broker unreachable a moment ago; left to the sweep", extra={"task": name})
            return False
        _broker_failed_at = None
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception as exc:  # broker down or timing out: the sweep will retry
        _broker_failed_at = time.monotonic()
        logger.warning(
            "could not publish task; the periodic sweep will pick it up",
            extra={"task": name, "error": str(exc)[:200]},
        )
        return False
    return True


def forget_broker_failure() -> None:
    """The next publish tries the broker whatever happened before (tests, after an outage)."""
    global _broker_failed_at
    _broker_failed_at = None


def publish_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    callback: Callable[[], object] = lambda: publish(task, *args, **kwargs)  # noqa: E731
    transaction.on_commit(callback)


# E-mail waits on someone else's server; it gets its own queue so it never holds render workers.
MAIL_TASKS = frozenset({"notifications.deliver_notification"})


def route_task(name: str, args: Any, kwargs: Any, options: Any, task: Any = None, **_: Any):
    """Celery router: mail tasks to `<default queue>-mail`, everything else to the default."""
    if name in MAIL_TASKS:
        from config.celery import app

        return {"queue": mail_queue_name(app.conf.task_default_queue)}
    return None


def mail_queue_name(default_queue: str) -> str:
    return f"{default_queue}-mail"


def ensure_filesystem_broker_folders() -> None:
    """kombu's filesystem transport (the no-server default broker) needs its folders to exist."""
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
