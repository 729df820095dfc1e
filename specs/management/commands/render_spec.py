import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from speclint.intake import IntakeError, decode_spec_bytes
from specs.rendering import render_markdown


class Command(BaseCommand):
    help = "Print exactly the HTML the spec page would embed for a Markdown file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            text = decode_spec_bytes(path.read_bytes()).text
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        except IntakeError as error:
            raise CommandError(f"{path}: {error.message}") from None
        sys.stdout.write(render_markdown(text).html)
