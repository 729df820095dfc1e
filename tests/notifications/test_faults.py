"""Delivery while PostgreSQL goes away mid-send: a real worker, a real SMTP server, a real cut."""

import pytest
from django.conf import settings

from notifications.models import Notification, State
from tests.conftest import spawn_worker, stop_worker, wait_for
from tests.faultproxy import FaultProxy
from tests.notifications.test_tasks import notify_reviewer, state_of


def database_url_through(proxy: FaultProxy) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@127.0.0.1:{proxy.port}/{db['NAME']}"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_mail_delivered_while_postgresql_restarts_is_recorded_sent_with_its_evidence(
    smtp_server, celery_queue, spec, people, tmp_path
):
    """Issue 9 item 7: the 250 came while the database was away; the row still says sent."""
    proxy = FaultProxy(int(settings.DATABASES["default"]["PORT"] or 5432)).start()
    worker, log = spawn_worker(
        tmp_path, celery_queue, env={"DATABASE_URL": database_url_through(proxy)}
    )
    try:
        smtp_server.handler.hold.set()  # the server has the message and holds its 250
        row = notify_reviewer(spec, people)
        assert smtp_server.handler.holding.wait(60), log.read_text()[-3000:]
        proxy.cut()  # PostgreSQL "restarts": the worker's connection drops, new ones refused
        smtp_server.handler.release.set()  # ...and the server says 250 meanwhile
        wait_for(
            lambda: "database unreachable, retrying the write" in log.read_text(),
            timeout=20,
            what="the worker to notice the outage",
        )
        proxy.restore()
        wait_for(lambda: state_of(row) == State.SENT, timeout=40, what="the verdict")
    finally:
        stop_worker(worker)
        proxy.stop()
    sent = Notification.objects.get(pk=row.pk)
    assert sent.smtp_reply.startswith("250 ")
    assert sent.message_id == smtp_server.messages[0]["Message-ID"]
    assert len(smtp_server.messages) == 1
