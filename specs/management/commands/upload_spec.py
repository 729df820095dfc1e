from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from specs import actions
from specs.models import Spec


class Command(BaseCommand):
    help = "Upload a file as the next version of a spec (used by demo data and scripts)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("path", type=Path)
        parser.add_argument("--as", dest="username", required=True, help="the uploader's username")
        parser.add_argument("--note", default="")

    def handle(self, *args, slug: str, path: Path, username: str, note: str, **options):
        spec = Spec.objects.filter(slug=slug).first()
        if spec is None:
            raise CommandError(f"No spec with the address “{slug}”.")
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user “{username}”.")
        from specs.permissions import abilities

        if not abilities(user, spec).can_upload:
            raise CommandError(f"{username} may not upload versions of {slug}.")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            outcome = actions.upload_version(
                spec=spec, data=data, uploaded_by=user, note=note, filename=path.name
            )
        except actions.IntakeError as error:
            raise CommandError(f"{path}: {error.message}") from None
        number = outcome.version.number
        if outcome.created:
            self.stdout.write(f"{slug}: uploaded version {number} ({len(data):,} bytes)")
        else:
            self.stdout.write(f"{slug}: nothing changed, identical to version {number}")
