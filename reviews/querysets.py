"""Reads of review rows with domain names: the querysets behind reviews.models' managers.

What waits on a person is restated here in SQL for the dashboard's speed; tests pin each one
to the pure rule it restates (tests/reviews/test_dashboard.py).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from reviews.rules.vocabulary import Role, State

OPEN_STATES = (State.IN_REVIEW, State.CHANGES_REQUESTED)


class RaciAssignmentQuerySet(models.QuerySet):
    def awaiting_sign_off(self, user, visible: QuerySet) -> QuerySet:
        """My R/A/C slots on specs under review with no sign-off of mine on the current version."""
        from reviews.dashboard.sql import waiting_since
        from reviews.models import SignOff

        signed = SignOff.objects.current().filter(
            version=OuterRef("spec__current_version"),
            area=OuterRef("area"),
            role=OuterRef("role"),
            user=user,
        )
        return (
            self.filter(
                user=user,
                role__in=(Role.RESPONSIBLE, Role.ACCOUNTABLE, Role.CONSULTED),
                spec__state__in=OPEN_STATES,
                spec__in=visible.values("pk"),
            )
            # Nobody reviews their own spec: such a slot (older data) waits on no one.
            .exclude(spec__author=user)
            .filter(~Exists(signed))
            .annotate(since=waiting_since("spec__"))
            .values(
                "area",
                "role",
                "spec__slug",
                "spec__title",
                "spec__current_version__number",
                "since",
            )
            .order_by("since", "pk")
        )


class CommentQuerySet(models.QuerySet):
    def blocking_waiting_on(self, user, visible: QuerySet) -> QuerySet:
        """Blocking threads on open specs that wait on me: mine marked addressed, or on my spec."""
        from reviews.models import CommentState

        return (
            self.filter(
                parent=None,
                blocking=True,
                spec__state__in=OPEN_STATES,
                spec__in=visible.values("pk"),
            )
            .filter(
                Q(author=user, state=CommentState.ADDRESSED)
                | Q(spec__author=user, state=CommentState.OPEN)
            )
            .annotate(since=Coalesce("addressed_at", "created_at"))
            .values("spec__slug", "spec__title", "spec__current_version__number", "state", "since")
            .order_by("since", "pk")
        )
