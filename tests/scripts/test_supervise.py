"""`make run` restarts a child that died on its own (issue 9 item 6: a dead worker stayed dead)."""

import os
import signal
import sys
import time

from tests.conftest import ROOT, wait_for

sys.path.insert(0, str(ROOT / "scripts"))  # scripts/ is not a package: devstack imports it so
from supervise import Supervisor


def test_a_killed_child_is_started_again_and_stop_ends_them_all():
    messages: list[str] = []
    supervisor = Supervisor(
        {"worker": ["sleep", "300"], "beat": ["sleep", "300"]},
        cwd=ROOT,
        env=dict(os.environ),
        say=messages.append,
    )
    supervisor.start()
    try:
        first = supervisor.children["worker"].process
        assert first is not None
        os.kill(first.pid, signal.SIGKILL)  # what an OOM kill or a crashed transport looks like
        started = time.monotonic()

        def restarted() -> bool:
            supervisor.check()
            process = supervisor.children["worker"].process
            return process is not None and process.pid != first.pid and process.poll() is None

        wait_for(restarted, timeout=10, what="the worker to be started again")
        assert time.monotonic() - started < 3
        assert any("worker exited with status -9; restarting it" in m for m in messages)
        assert supervisor.children["beat"].restarts == 0
    finally:
        supervisor.stop(grace=5)
    for child in supervisor.children.values():
        assert child.process is not None and child.process.poll() is not None
