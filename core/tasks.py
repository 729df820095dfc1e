import socket

from celery import current_task, shared_task
from django.utils import timezone

from core.models import WorkerHeartbeat
from core.request_context import get_request_id


@shared_task(name="core.heartbeat")
def heartbeat_task() -> None:
    """Records that a worker is alive (and which request asked), visible in the admin."""
    hostname = getattr(current_task.request, "hostname", None) or socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(
        worker=hostname,
        defaults={"seen_at": timezone.now(), "request_id": get_request_id() or ""},
    )


@shared_task(name="core.forget_rate_limit_windows")
def forget_rate_limit_windows_task() -> None:
    from core.ratelimit import forget_old_windows

    forget_old_windows()
