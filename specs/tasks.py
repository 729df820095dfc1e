from celery import shared_task

from core.queueing import publish
from specs import actions


@shared_task(name="specs.analyse_version")
def analyse_version_task(version_id: int) -> None:
    actions.analyse_version(version_id)


@shared_task(name="specs.reanalyse_stale_versions")
def reanalyse_stale_versions_task() -> None:
    """After an upgrade, refresh a few versions analysed by an older renderer or linter per
    run, so pages stop saying "being refreshed" even if nobody runs the command."""
    from specs import reanalysis

    reanalysis.run(batch_size=20, limit=20)


@shared_task(name="specs.sweep_pending_versions")
def sweep_pending_versions_task() -> None:
    for version_id in actions.stale_pending_version_ids():
        publish(analyse_version_task, version_id)
