from notifications import delivery


def test_backoff_doubles_and_is_capped(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 600
    delays = [delivery.backoff(attempt).total_seconds() for attempt in (1, 2, 3, 5, 9)]
    assert 60 <= delays[0] <= 66 and 120 <= delays[1] <= 132 and 240 <= delays[2] <= 264
    assert 600 <= delays[3] <= 660 and 600 <= delays[4] <= 660


def test_the_lease_outlasts_celerys_hard_time_limit(settings):
    # Past the lease no live worker can still be sending, so the sweep may settle the row.
    settings.CELERY_TASK_TIME_LIMIT = 90
    assert delivery.lease_seconds() > 90
    settings.NOTIFICATIONS_SEND_LEASE_SECONDS = 5
    assert delivery.lease_seconds() == 5
