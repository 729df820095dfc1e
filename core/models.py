from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker finished a task; beat sends one a minute."""

    worker = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()
    request_id = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.worker} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
