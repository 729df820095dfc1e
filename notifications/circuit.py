"""A circuit breaker for the mail server, shared by every worker through the database.

A silent SMTP server costs each attempt the whole EMAIL_TIMEOUT. After one attempt finds the
server unreachable or silent, every worker stops trying for NOTIFICATIONS_SMTP_PAUSE_SECONDS;
due e-mail is postponed (not counted as an attempt) and the sweep sends it once the pause is
over. The state is a database row, not process memory: every worker process on every machine
sees the same pause.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from notifications.models import MailServerPause


def paused_until(now: datetime | None = None) -> datetime | None:
    """When the current pause ends, or None when e-mail may be sent."""
    now = now or timezone.now()
    until = MailServerPause.objects.filter(pk=1).values_list("until", flat=True).first()
    return until if until and until > now else None


def pause(reason: str) -> datetime:
    until = timezone.now() + timedelta(seconds=settings.NOTIFICATIONS_SMTP_PAUSE_SECONDS)
    MailServerPause.objects.update_or_create(
        pk=1, defaults={"until": until, "reason": reason[:1000]}
    )
    return until
