from django.conf import settings
from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker finished a task; beat sends one a minute."""

    worker = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()
    request_id = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.worker} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class AuditEvent(models.Model):
    """Append-only record of everything that matters; the database refuses UPDATE and DELETE.

    `spec_id` is a plain column rather than a foreign key: the trail belongs to the platform,
    must outlive whatever it describes, and `core` depends on no domain app.
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    verb = models.CharField(max_length=64)
    spec_id = models.BigIntegerField(null=True, db_index=True)
    version_number = models.PositiveIntegerField(null=True)
    target = models.CharField(max_length=100, blank=True, help_text="e.g. signoff:42")
    data = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["spec_id", "-at"]),
            # The dashboard asks when a spec was last submitted or approved, and approvals per week.
            models.Index(fields=["spec_id", "verb", "at"], name="audit_spec_verb_at"),
            models.Index(fields=["verb", "at"], name="audit_verb_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb}"


class RateLimitWindow(models.Model):
    """Requests one subject made in one fixed window of one rate limit (core.ratelimit)."""

    scope = models.CharField(max_length=40)
    subject = models.CharField(max_length=100)
    window_start = models.BigIntegerField(help_text="Unix seconds")
    hits = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "subject", "window_start"], name="one_rate_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.subject} @ {self.window_start}: {self.hits}"
