import pytest

from core.models import WorkerHeartbeat
from core.request_context import reset_request_id, set_request_id
from core.tasks import heartbeat_task
from tests.conftest import wait_for

pytestmark = pytest.mark.worker


def test_task_round_trips_through_a_real_worker_with_the_request_id(celery_worker_process):
    _worker, log = celery_worker_process
    token = set_request_id("req-roundtrip-0001")
    try:
        heartbeat_task.delay()
    finally:
        reset_request_id(token)

    def recorded():
        return WorkerHeartbeat.objects.filter(request_id="req-roundtrip-0001").first()

    beat = wait_for(recorded, timeout=60, what=f"the worker (log: {log.read_text()[-2000:]})")
    assert beat.worker
    # The worker's own log lines are JSON and carry the same request id.
    assert '"request_id": "req-roundtrip-0001"' in log.read_text()
