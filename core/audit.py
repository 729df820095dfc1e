"""Writing the audit trail: one call per event, inside the transaction that made the change."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from core.models import AuditEvent
from core.request_context import get_client_ip, get_request_id


def record_event(
    verb: str,
    *,
    actor,
    spec_id: int | None = None,
    version_number: int | None = None,
    target: str = "",
    data: dict[str, Any] | None = None,
    at=None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        at=at or timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        spec_id=spec_id,
        version_number=version_number,
        target=target,
        data=data or {},
        request_id=get_request_id() or "",
        ip=get_client_ip(),
    )
