"""Run right after restoring a backup, before the workers and beat start (README, Backups)."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.restore import hold_after_restore


class Command(BaseCommand):
    help = (
        "Hold every unsent e-mail written before the restore point for a staff decision on "
        "/notifications/admin/, instead of sending it again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--before",
            help="ISO 8601 time; rows written at or before it are held (default: now, i.e. "
            "everything unsent in the restored database)",
        )

    def handle(self, *args, before: str | None = None, **options):
        restore_point = timezone.now()
        if before:
            try:
                restore_point = datetime.fromisoformat(before)
            except ValueError as exc:
                raise CommandError(f"--before: not an ISO 8601 time: {before!r}") from exc
            if timezone.is_naive(restore_point):
                restore_point = timezone.make_aware(restore_point, timezone.get_current_timezone())
        held = hold_after_restore(restore_point=restore_point)
        self.stdout.write(
            f"held {held} unsent notification(s) written before {restore_point.isoformat()}; "
            "decide on /notifications/admin/ (Held after a restore)"
        )
