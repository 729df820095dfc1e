"""Re-render and re-lint stored versions after the renderer or linter changed, in batches.

The position (the last version id finished, per target) lives in the database, so a run that
is interrupted resumes where it stopped, from any machine (a run that reaches the end clears
it for stale-mode runs: the stamps alone then say what is left), and two runs at once (the command
and the beat sweep) cost at most some repeated work: `reanalyse_version` re-checks each
version under a row lock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import F, Value
from django.db.models.functions import Greatest

from specs.actions import reanalyse_version
from specs.models import (
    ReanalysisPosition,
    RenderState,
    SpecVersion,
    current_analysis_versions,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    done: int  # versions looked at in this run
    total: int  # versions this run set out to look at
    refreshed: int  # of which re-analysed (the others were current already, or failed)
    failed: int


def target_key(*, everything: bool) -> str:
    renderer, linter = current_analysis_versions()
    return f"{'all-' if everything else ''}r{renderer}-l{linter}"


def candidates(*, everything: bool, after: int):
    versions = SpecVersion.objects.exclude(render_state=RenderState.PENDING)
    if not everything:
        versions = versions.analysed_by_older_tools()
    return versions.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)


def position(*, everything: bool, restart: bool = False) -> ReanalysisPosition:
    spot, _ = ReanalysisPosition.objects.get_or_create(key=target_key(everything=everything))
    if restart:
        spot.last_version_id = spot.done = spot.failed = 0
        spot.save()
    return spot


def run(
    *,
    everything: bool = False,
    restart: bool = False,
    batch_size: int = 50,
    limit: int | None = None,
    on_batch: Callable[[Progress], None] = lambda progress: None,
) -> Progress:
    """Re-analyse the versions past the stored position, `batch_size` ids fetched at a time,
    reporting after each batch; stop after `limit` versions (the rest: next run)."""
    spot = position(everything=everything, restart=restart)
    total = candidates(everything=everything, after=spot.last_version_id).count()
    if limit is not None:
        total = min(total, limit)
    progress = Progress(0, total, 0, 0)
    on_batch(progress)
    for batch in _batches(everything, spot.last_version_id, batch_size, total):
        refreshed = failed = 0
        for version_id in batch:
            ok = True
            try:
                refreshed += reanalyse_version(version_id, everything=everything)
            except Exception:
                logger.exception("re-analysis failed", extra={"version_id": version_id})
                ok, failed = False, failed + 1
            # Recorded after each version: an interrupted run repeats none of the finished ones.
            ReanalysisPosition.objects.filter(pk=spot.pk).update(
                last_version_id=Greatest(F("last_version_id"), Value(version_id)),
                done=F("done") + 1,
                failed=F("failed") + (0 if ok else 1),
            )
        progress = Progress(
            progress.done + len(batch),
            total,
            progress.refreshed + refreshed,
            progress.failed + failed,
        )
        on_batch(progress)
    if not everything and not candidates(everything=False, after=_last_done(spot)).exists():
        # Round over: a version still stale now (one that failed, or restored from a backup)
        # is picked up by the next run from the start, not skipped for ever.
        ReanalysisPosition.objects.filter(pk=spot.pk).update(last_version_id=0)
    return progress


def _last_done(spot: ReanalysisPosition) -> int:
    spot.refresh_from_db(fields=["last_version_id"])
    return spot.last_version_id


def _batches(everything: bool, after: int, size: int, total: int) -> Iterator[list[int]]:
    left = total
    while left > 0:
        batch = list(candidates(everything=everything, after=after)[: min(size, left)])
        if not batch:
            return
        yield batch
        after, left = batch[-1], left - len(batch)
