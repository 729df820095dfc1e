"""What /metrics costs: CPU per request recorded and per scrape, one process vs multiprocess.

    .venv/bin/python bench/metrics_bench.py        (DATABASE_URL as for the tests; DEBUG=1)

Runs itself twice, once with PROMETHEUS_MULTIPROC_DIR set (as under gunicorn), and prints CPU
time (time.process_time), not wall time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

REQUESTS, SCRAPES, VIEWS = 20_000, 20, 40


def measure(mode: str) -> str:
    if mode == "multiprocess":
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="metrics-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from prometheus_client import generate_latest

    from core.metrics import LATENCY, SQL_PER_REQUEST, scrape_registry
    from core.metrics import REQUESTS as COUNT

    started = time.process_time()
    for i in range(REQUESTS):
        view = f"view{i % VIEWS}"
        COUNT.labels(view, "GET", "200").inc()
        LATENCY.labels(view).observe(0.05)
        SQL_PER_REQUEST.labels(view).observe(7)
    per_request = (time.process_time() - started) / REQUESTS * 1e6
    started = time.process_time()
    for _ in range(SCRAPES):
        body = generate_latest(scrape_registry())
    per_scrape = (time.process_time() - started) / SCRAPES * 1e3
    return (
        f"{mode:<14}{per_request:>10.1f} µs CPU/request{per_scrape:>10.1f} ms CPU/scrape"
        f"  ({len(body)} bytes, {VIEWS} views; scrape includes 3 queries and a broker call)"
    )


if __name__ == "__main__":
    if len(sys.argv) == 2:
        print(measure(sys.argv[1]))
    else:
        for mode in ("single", "multiprocess"):
            subprocess.run([sys.executable, __file__, mode], check=True)
        print(f"load average {os.getloadavg()[0]:.2f}")
