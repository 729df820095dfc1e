"""What reviewers record on a spec version: RACI, sign-offs, decisions, gate ticks, overrides.

Rows are written only through reviews.actions, each in a transaction that locks the spec row
and writes an audit event. Sign-offs and decisions are append-only histories: the latest
sign-off per slot counts, and a decision is corrected by a new entry that supersedes it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from reviews.querysets import (
    RECORDED_VERDICTS,
    CommentQuerySet,
    DecisionEntryQuerySet,
    RaciAssignmentQuerySet,
    SignOffQuerySet,
)
from reviews.rules.gates import GateState
from reviews.rules.vocabulary import Role, ScopeDecision, choices
from specs.models import Spec, SpecVersion


class RaciAssignment(models.Model):
    spec = models.ForeignKey(Spec, on_delete=models.PROTECT, related_name="raci")
    area = models.CharField(max_length=100)
    role = models.CharField(max_length=1, choices=choices(Role))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A name from the document that matched no account: kept and shown, never dropped.
    unmatched_name = models.CharField(max_length=200, blank=True)
    from_version = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    objects = RaciAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["spec", "area", "role", "id"]
        indexes = [models.Index(fields=["user", "role"], name="raci_user_role")]
        constraints = [
            models.UniqueConstraint(
                fields=["spec", "area", "role", "user"],
                condition=Q(user__isnull=False),
                name="unique_raci_person",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(unmatched_name=""), name="raci_names_someone"
            ),
        ]

    def __str__(self) -> str:
        who = self.user or self.unmatched_name
        return f"{self.area} {self.role}: {who}"


class SignOff(models.Model):
    version = models.ForeignKey(SpecVersion, on_delete=models.PROTECT, related_name="signoffs")
    area = models.CharField(max_length=100)
    role = models.CharField(max_length=1, choices=choices(Role))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=20, choices=RECORDED_VERDICTS)
    comment = models.TextField(blank=True)
    recorded_at = models.DateTimeField()
    # Set when the same person records a later decision in the same slot of the same version,
    # or withdraws it: the row stays as history, and only the one without it counts.
    superseded_at = models.DateTimeField(null=True, blank=True)
    # The version the person actually signed, when this row was carried to a later version
    # whose sections they covered were unchanged (or because a veto stays in force).
    carried_from = models.PositiveIntegerField(null=True, blank=True)

    objects = SignOffQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["version", "area", "role", "user"])]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "area", "role", "user"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_signoff_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_decision_display()} {self.area}/{self.role}"


class AreaSections(models.Model):
    """The author's adjustment of which sections a RACI area covers on this spec (else the
    profile's ``[review.areas]``; else the whole spec)."""

    spec = models.ForeignKey(Spec, on_delete=models.PROTECT, related_name="area_sections")
    area = models.CharField(max_length=100)
    sections = models.JSONField(default=list, help_text="section titles; empty: the whole spec")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["spec", "area"], name="one_area_sections_per_spec")
        ]

    def __str__(self) -> str:
        return f"{self.area}: {', '.join(self.sections) or 'whole spec'}"


class LastSeen(models.Model):
    """The latest version of a spec each person opened or signed: "what changed since I looked"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    spec = models.ForeignKey(Spec, on_delete=models.CASCADE, related_name="+")
    version_number = models.PositiveIntegerField()
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "spec"], name="one_last_seen")]

    def __str__(self) -> str:
        return f"{self.user_id} saw v{self.version_number} of {self.spec_id}"


class DecisionEntry(models.Model):
    """One row of the scope decision log (tech-spec section 5's six columns)."""

    spec = models.ForeignKey(Spec, on_delete=models.PROTECT, related_name="decisions")
    version = models.ForeignKey(SpecVersion, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    request = models.CharField(max_length=500)
    source = models.CharField(max_length=200)
    decision = models.CharField(max_length=10, choices=choices(ScopeDecision))
    rationale = models.TextField()
    trade_off = models.TextField()
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    objects = DecisionEntryQuerySet.as_manager()

    class Meta:
        ordering = ["date", "recorded_at", "id"]
        verbose_name_plural = "decision entries"

    def __str__(self) -> str:
        return f"{self.date} {self.request} → {self.decision}"


class GateCheck(models.Model):
    version = models.ForeignKey(SpecVersion, on_delete=models.PROTECT, related_name="gate_checks")
    item = models.CharField(max_length=300)
    position = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=choices(GateState), default=GateState.UNCHECKED)
    reason = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(null=True, blank=True)
    carried_from = models.PositiveIntegerField(null=True, blank=True, help_text="version number")
    # Bumped on every change; a form that carries an older revision is stale (409).
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "item"], name="unique_gate_item"),
            models.CheckConstraint(
                condition=~Q(state="na") | ~Q(reason=""), name="gate_na_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_state_display()}"


class LintOverride(models.Model):
    """A reviewer's decision that a version's lint errors must not block review, and why."""

    version = models.OneToOneField(
        SpecVersion, on_delete=models.PROTECT, related_name="lint_override"
    )
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    errors_at_override = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"override on {self.version}"


class CommentState(models.TextChoices):
    OPEN = "open", "Open"
    ADDRESSED = "addressed", "Addressed"
    RESOLVED = "resolved", "Resolved"


class Comment(models.Model):
    """A review comment on a version's source lines or on a section, or a reply to one.

    The quoted excerpt travels with it: later versions re-anchor it to the lines that still hold
    that text (reviews.comments.anchors), so it never silently detaches when the spec is revised.
    Replies (parent set) carry no state of their own; the thread's root does.
    """

    spec = models.ForeignKey(Spec, on_delete=models.PROTECT, related_name="comments")
    version = models.ForeignKey(SpecVersion, on_delete=models.PROTECT, related_name="+")
    line_start = models.PositiveIntegerField(null=True, blank=True)
    line_end = models.PositiveIntegerField(null=True, blank=True)
    section = models.CharField(max_length=200, blank=True, help_text="heading anchor")
    excerpt = models.TextField(blank=True)
    # The exact words a reviewer selected inside the block (plain text; empty for a whole block).
    quote = models.CharField(max_length=500, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    blocking = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=CommentState.choices, default=CommentState.OPEN)
    addressed_note = models.TextField(blank=True)
    addressed_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    # Bumped on every state change; a form that carries an older revision is stale (409).
    revision = models.PositiveIntegerField(default=0)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["spec", "blocking", "state"], name="comment_spec_blocking"),
            models.Index(fields=["author", "state"], name="comment_author_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(line_start__isnull=True, line_end__isnull=True)
                | Q(line_start__gte=1, line_end__gte=models.F("line_start")),
                name="comment_line_range",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(line_start__isnull=False) | ~Q(section=""),
                name="comment_anchored",
            ),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} by user {self.author_id}"

    @property
    def is_open(self) -> bool:
        return self.state != CommentState.RESOLVED
