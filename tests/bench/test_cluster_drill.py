"""The reduced cluster drill: two gunicorn instances behind Debian's nginx, one database.

bench/cluster_drill.py runs the whole drill (load, workers on RabbitMQ, SIGKILL under load,
every e-mail counted); it needs minutes. This keeps its first and cheapest promise under test:
a person logged in through the load balancer reads pages and posts htmx comments on both
instances with one session, and keeps working when one instance is killed.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.conftest import ROOT, database_url_for
from tests.notifications.conftest import free_port

sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))
import cluster_drill

pytestmark = pytest.mark.skipif(
    shutil.which("nginx") is None, reason="needs Debian's nginx (scripts/ensure-system-packages.sh)"
)
PASSWORD = "cluster drill password"


@pytest.fixture
def cluster(transactional_db, tmp_path, monkeypatch):
    drill = cluster_drill.Cluster(free_port(), smtp_delay=0)
    drill.web_ports = (free_port(), free_port())
    drill.db_url = database_url_for(settings.DATABASES["default"]["NAME"])
    drill.broker_url = "filesystem://"  # no worker here: published tasks just wait
    monkeypatch.setenv("SPEC_REVIEW_DATA_DIR", str(tmp_path / "data"))
    for sub in ("queue", "processed", "control"):
        (tmp_path / "data" / "broker" / sub).mkdir(parents=True)
    drill.manage("collectstatic", "--no-input", "-v", "0")
    try:
        yield drill
    finally:
        for process in drill.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
        shutil.rmtree(drill.home, ignore_errors=True)


def test_one_session_works_on_both_instances_and_survives_losing_one(
    cluster, reviewed_spec, people, monkeypatch
):
    from reviews.models import Comment
    from specs import permissions

    reviewer = next(
        person
        for person in people.values()
        if permissions.may_comment(permissions.get_spec_for(person, reviewed_spec.slug)[1])
    )
    # The web processes hash with PBKDF2 (the production default), not the tests' fast MD5.
    reviewer.password = PBKDF2PasswordHasher().encode(PASSWORD, "drillsalt", iterations=1000)
    reviewer.save(update_fields=["password"])
    monkeypatch.setattr(cluster_drill, "SPEC", reviewed_spec.slug)
    monkeypatch.setattr(cluster_drill, "PASSWORD", PASSWORD)

    cluster.start_web(0)
    cluster.start_web(1)
    cluster.start_nginx(instances=2)
    spread = cluster_drill.sessions_across_instances(cluster, username=reviewer.username)
    upstreams = {f"127.0.0.1:{port}" for port in cluster.web_ports}
    assert set(spread["reads"]) == upstreams, spread
    assert set(spread["writes"]) == upstreams, spread
    assert Comment.objects.filter(body__startswith="session-check-").count() == 6

    session = cluster_drill.log_in(cluster, reviewer.username)
    form = cluster_drill.comment_form(session, cluster)
    cluster.kill("web2")
    # A GET that meets the dead instance is retried on the live one, and marks it failed.
    for _ in range(4):
        page = session.get(cluster.url(f"/specs/{reviewed_spec.slug}/"), allow_redirects=False)
        assert page.status_code == 200
        assert page.headers["X-Upstream"].endswith(f":{cluster.web_ports[0]}")
    answer = cluster_drill.post_comment(session, cluster, form, "after-the-kill")
    assert answer.status_code == 200
    assert answer.headers["X-Upstream"] == f"127.0.0.1:{cluster.web_ports[0]}"
    assert Comment.objects.filter(body__startswith="after-the-kill").count() == 1
