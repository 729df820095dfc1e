"""Reads of review rows with domain names: the querysets behind reviews.models' managers.

What waits on a person is restated here in SQL for the dashboard's speed; tests pin each one
to the pure rule it restates (tests/reviews/test_dashboard.py).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from reviews.rules.staleness import VETOES
from reviews.rules.vocabulary import Role, State, Verdict
from specs.permissions import visible_specs

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


# A recorded sign-off reads "Changes requested", not the form's "Request changes".
RECORDED_VERDICTS = [(verdict.value, verdict.recorded) for verdict in Verdict]


class SignOffQuerySet(models.QuerySet):
    def current(self) -> SignOffQuerySet:
        """Each person's latest decision per version and slot (earlier ones are history)."""
        return self.filter(superseded_at__isnull=True)

    def standing_vetoes(self, user, visible) -> QuerySet:
        """My requests for changes and concerns carried to a newer version: they wait on me to
        re-sign or withdraw them (reviews.rules.staleness: vetoes never go stale by themselves)."""
        return (
            self.current()
            .filter(
                user=user,
                carried_from__isnull=False,
                decision__in=[v.value for v in VETOES],
                version=models.F("version__spec__current_version"),
                version__spec__in=visible.values("pk"),
            )
            .values(
                "area",
                "decision",
                "carried_from",
                "recorded_at",
                "version__number",
                "version__spec__slug",
                "version__spec__title",
            )
            .order_by("recorded_at", "pk")
        )


class DecisionEntryQuerySet(models.QuerySet):
    def current(self) -> DecisionEntryQuerySet:
        """Entries no later entry supersedes."""
        return self.filter(superseded_by__isnull=True)

    def visible_to(self, user) -> DecisionEntryQuerySet:
        return self.filter(spec__in=visible_specs(user))

    def log(
        self, *, include_superseded=False, decision="", source="", spec="", since=None, until=None
    ) -> DecisionEntryQuerySet:
        """The cross-spec decision log: filtered, newest first, with what each row shows."""
        entries = self if include_superseded else self.current()
        return (
            entries.filtered(
                decision=decision, source=source, spec_slug=spec, since=since, until=until
            )
            .select_related("spec", "version", "recorded_by", "superseded_by")
            .order_by("-date", "-id")
        )

    def filtered(self, *, decision="", source="", spec_slug="", since=None, until=None):
        entries = self
        if decision:
            entries = entries.filter(decision=decision)
        if source:
            entries = entries.filter(source__icontains=source)
        if spec_slug:
            entries = entries.filter(spec__slug=spec_slug)
        if since:
            entries = entries.filter(date__gte=since)
        if until:
            entries = entries.filter(date__lte=until)
        return entries
