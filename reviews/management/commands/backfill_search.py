"""(Re)build the search index for specs that existed before it, or after a bulk import.

Spec by spec, each in its own short transaction (reviews.search_index.rebuild_spec), in id
order and in batches, printing progress with the last spec id done: a run that stops (Ctrl-C,
a deploy) is resumed with `--after <that id>`, and rebuilding a spec twice gives the same rows.

    manage.py backfill_search [--batch 200] [--after 0] [--only-missing]
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from reviews.search_index import rebuild_spec
from specs.models import SearchEntry, Spec


class Command(BaseCommand):
    help = "Rebuild search entries for existing specs, versions, comments, decisions and gates."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=200, help="specs per progress line")
        parser.add_argument("--after", type=int, default=0, help="resume: start after this spec id")
        parser.add_argument(
            "--only-missing", action="store_true", help="skip specs that already have entries"
        )

    def handle(self, *args, batch: int, after: int, only_missing: bool, **options):
        todo = Spec.objects.filter(pk__gt=after).order_by("pk")
        if only_missing:
            indexed = SearchEntry.objects.values("spec_id")
            todo = todo.exclude(pk__in=indexed)
        total = todo.count()
        done = entries = 0
        started = time.monotonic()
        last = after
        while True:
            ids = list(todo.filter(pk__gt=last).values_list("pk", flat=True)[:batch])
            if not ids:
                break
            for spec_id in ids:
                entries += rebuild_spec(spec_id)
            done += len(ids)
            last = ids[-1]
            rate = done / max(time.monotonic() - started, 1e-6)
            self.stdout.write(
                f"{done}/{total} specs, {entries} entries, {rate:.0f} specs/s; "
                f"resume with --after {last}"
            )
        self.stdout.write(self.style.SUCCESS(f"search index rebuilt for {done} specs"))
