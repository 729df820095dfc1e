from django.conf import settings
from django.db import models

from specs.models import SpecVersion


class LintOverride(models.Model):
    """A reviewer's decision that a version's lint errors must not block review, and why."""

    version = models.OneToOneField(
        SpecVersion, on_delete=models.PROTECT, related_name="lint_override"
    )
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    errors_at_override = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"override on {self.version}"
