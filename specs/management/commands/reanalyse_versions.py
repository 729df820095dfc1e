"""`manage.py reanalyse_versions`: refresh stored renderings and lint results after an upgrade."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand

from specs import reanalysis
from specs.models import current_analysis_versions


class Command(BaseCommand):
    help = (
        "Re-render and re-lint stored versions analysed by an older renderer or linter, in "
        "batches, resuming from the stored position; running it again does nothing new."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=50)
        parser.add_argument("--limit", type=int, help="stop after this many; the next run resumes")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="every version, whatever its stamps (after a fix that bumped no version)",
        )
        parser.add_argument(
            "--restart", action="store_true", help="forget the stored position and start over"
        )

    def handle(self, *, batch_size, limit, everything, restart, **options) -> None:
        renderer, linter = current_analysis_versions()
        key = reanalysis.target_key(everything=everything)
        spot = reanalysis.position(everything=everything, restart=restart)
        self.stdout.write(
            f"renderer {renderer}, linter {linter}: target {key}, "
            f"resuming after version #{spot.last_version_id}"
            if spot.last_version_id
            else f"renderer {renderer}, linter {linter}: target {key}, from the start"
        )
        bar = ProgressBar(self.stdout, interactive=sys.stdout.isatty())
        started = time.monotonic()
        result = reanalysis.run(
            everything=everything, batch_size=batch_size, limit=limit, on_batch=bar.show
        )
        bar.finish()
        self.stdout.write(
            f"{result.refreshed} re-analysed, {result.done - result.refreshed - result.failed} "
            f"already current, {result.failed} failed, in {time.monotonic() - started:.1f} s"
        )


class ProgressBar:
    """One line redrawn in place on a terminal; one line per batch in a log."""

    WIDTH = 30

    def __init__(self, out, *, interactive: bool) -> None:
        self.out, self.interactive = out, interactive

    def show(self, progress: reanalysis.Progress) -> None:
        share = progress.done / progress.total if progress.total else 1.0
        filled = round(share * self.WIDTH)
        line = (
            f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {progress.done}/{progress.total} "
            f"versions ({share:.0%})"
        )
        if self.interactive:
            self.out.write("\r" + line, ending="")
            self.out.flush()
        else:
            self.out.write(line)

    def finish(self) -> None:
        if self.interactive:
            self.out.write("")
