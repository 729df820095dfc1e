"""``manage.py lint_spec``: the ``speclint`` command line, same arguments, same exit status."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from speclint.cli import main


class Command(BaseCommand):
    help = "Lint Markdown specs (same arguments as speclint; see docs/lint-rules.md)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "speclint_args",
            nargs=argparse.REMAINDER,
            help="arguments for speclint: [--profile NAME|TEMPLATE.md] [--format ...] FILE...",
        )

    def run_from_argv(self, argv: list[str]) -> None:
        # Django's parser would reject speclint's own options before REMAINDER sees them,
        # so the raw arguments go straight to the command line.
        sys.exit(main(argv[2:], stdout=sys.stdout, stderr=sys.stderr))

    def handle(self, *args: Any, **options: Any) -> None:
        # OutputWrapper is a TextIO in all but name: it writes and flushes like one.
        out, err = cast(TextIO, self.stdout), cast(TextIO, self.stderr)
        status = main([*args, *options.get("speclint_args", [])], stdout=out, stderr=err)
        if status:
            raise CommandError(f"speclint exited with status {status}", returncode=status)
