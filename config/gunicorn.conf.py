"""gunicorn settings for every deployment (`make run`, the Dockerfile, bench/cluster_drill.py).

Each can override through the environment: GUNICORN_BIND, WEB_CONCURRENCY.
"""

import os
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Uploads are analysed inside the request under SPEC_RENDER_TIME_LIMIT_SECONDS (10 s); a worker
# stuck well past that is killed and replaced.
timeout = 60
graceful_timeout = 30
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# The app's own JSON request log carries the request id; the access log is for the proxy view.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'


def on_starting(server):
    """In a container the metrics folder is this gunicorn's alone: empty it of a previous run.

    (`make run` shares its folder with the Celery processes and empties it itself, before
    starting any of them, so it leaves METRICS_DIR_PRIVATE unset.)
    """
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder and os.environ.get("METRICS_DIR_PRIVATE") == "1":
        Path(folder).mkdir(parents=True, exist_ok=True)
        for stale in Path(folder).glob("*.db"):
            stale.unlink()


def child_exit(server, worker):
    """A dead worker's live gauges must not be summed any more (its counters still are)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


# gunicorn's control socket lives at one path per user: a second instance on the host (the
# cluster drill runs two) would take over the first one's. Nothing here uses it.
control_socket_disable = True
