import threading

import pytest
from django.db import connections

from core import ratelimit
from core.models import RateLimitWindow

LIMIT = ratelimit.Limit("test", requests=3, per_seconds=60)


@pytest.mark.django_db
def test_allowance_per_window_then_retry_after_until_the_window_ends():
    verdicts = [ratelimit.hit(LIMIT, "u1", now=1200.0 + i) for i in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert verdicts[-1].retry_after == 57  # the window 1200-1260 ends 57 s after 1203
    assert ratelimit.hit(LIMIT, "u2", now=1203.0).allowed  # per subject
    assert ratelimit.hit(LIMIT, "u1", now=1260.0).allowed  # a new window


@pytest.mark.django_db
def test_old_windows_are_forgotten():
    ratelimit.hit(LIMIT, "u1", now=60.0)
    assert ratelimit.forget_old_windows() == 1
    assert not RateLimitWindow.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_share_one_allowance():
    barrier = threading.Barrier(8)
    allowed: list[bool] = []

    def one() -> None:
        try:
            barrier.wait()
            allowed.append(ratelimit.hit(LIMIT, "racer", now=600.0).allowed)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(allowed) == [False] * 5 + [True] * 3
