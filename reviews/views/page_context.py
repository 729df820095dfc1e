"""Everything the review page shows, assembled once per request in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

from core.models import AuditEvent
from reviews.actions import area_sections
from reviews.comments.threads import COMMENT_KEYS, comment_context
from reviews.forms import LintOverrideForm
from reviews.models import DecisionEntry, GateCheck
from reviews.page_cache import comment_authors, review_data
from reviews.raci import propose_from_raci_rows
from reviews.rules import signoffs as signoff_rules
from reviews.rules import staleness, workflow
from reviews.rules.gates import gate_progress
from reviews.snapshot import ReviewState, actor_for, load_review
from specs import permissions
from specs.models import SpecVersion
from specs.review_policy import review_policy
from specs.structures import name_key

TIMELINE_LENGTH = 60
SEVERITY_ORDER = ("error", "warning", "info")


@dataclass(frozen=True)
class SignSlot:
    """A slot the viewing user may sign, with the decisions their role allows."""

    area: str
    role: workflow.Role
    decisions: tuple[workflow.Verdict, ...]
    current: workflow.SignOff | None
    stale_from: int | None = None  # the version this person last signed, when it went stale
    sections: tuple[str, ...] = ()  # the area's section keys (empty: the whole spec)

    @property
    def section_query(self) -> str:
        """``section=…`` parameters that limit a diff to this area's sections."""
        return urlencode([("section", key) for key in self.sections])

    @property
    def is_veto(self) -> bool:
        return self.current is not None and self.current.decision in staleness.VETOES


@dataclass(frozen=True)
class DecisionDrift:
    request: str
    decision: str
    problem: str


def group_findings(findings: list[dict]) -> list[tuple[str, list[tuple[str, list[dict]]]]]:
    """Findings by severity, then by rule (most frequent first); each keeps its line order.

    250 findings of one rule become one collapsed line with a count, not 250 list items.
    """
    grouped: dict[str, dict[str, list[dict]]] = {severity: {} for severity in SEVERITY_ORDER}
    for finding in findings:
        rules = grouped.setdefault(finding["severity"], {})
        rules.setdefault(finding["rule"], []).append(finding)
    return [
        (severity, sorted(rules.items(), key=lambda item: (-len(item[1]), item[0])))
        for severity, rules in grouped.items()
        if rules
    ]


def review_context(
    user,
    spec,
    can,
    version: SpecVersion,
    *,
    mine_comments: bool = False,
    comment_line: int | None = None,
    comment_thread: int | None = None,
    state_key: str | None = None,
    **extra,
) -> dict:
    """The context of the review page and of each of its panels.

    Most values are zero-argument callables, cached: the template calls one only when a panel
    it renders uses it, so a single panel (an htmx refresh, the "Rendering…" poll) loads only
    what that panel shows, while the full page still costs the same pinned number of queries.

    `state_key` (reviews.page_cache) names the spec state a full page view shows: the review
    state then comes from the state's cache, and the template keeps its state-only parts there.
    """
    if state_key is not None:
        kept = cache(lambda: review_data(spec, state_key))
        review = cache(lambda: kept().review)
        scopes = cache(lambda: kept().scopes)
    else:
        review = cache(lambda: load_review(spec))
        scopes = cache(lambda: area_sections(spec))
    decisions = cache(
        lambda: list(
            DecisionEntry.objects.filter(spec=spec)
            .select_related("recorded_by", "version", "superseded_by")
            .order_by("date", "recorded_at", "id")
        )
    )
    comments = cache(
        lambda: comment_context(
            user, spec, can, version, mine=mine_comments, line=comment_line, thread=comment_thread
        )
    )

    def actor() -> workflow.Actor:
        return actor_for(user, spec, can)

    def is_current() -> bool:
        return version.pk == spec.current_version_id

    return {
        "state_key": state_key,
        "spec": spec,
        "version": version,
        "can": can,
        "review": review,
        "is_current": cache(is_current),
        "transitions": cache(lambda: applicable_transitions(review(), actor())),
        "matrix": cache(lambda: signoff_rules.signoff_matrix(review().snapshot)),
        "my_slots": cache(lambda: my_slots(review(), actor(), scopes()) if is_current() else ()),
        "gate_rows": cache(lambda: gate_rows(review())),
        "gate_progress": cache(lambda: gate_progress(review().gate_items)),
        "carry_from": cache(lambda: carry_from(review())),
        "decisions": decisions,
        "decision_drift": cache(lambda: decision_drift(review().version, decisions())),
        "decision_markdown": cache(lambda: decisions_as_markdown(decisions())),
        "raci_proposal": cache(
            lambda: propose_from_raci_rows(
                review().version.structures.get("raci", []),
                review().assignments,
                author_id=spec.author_id,
            )
        ),
        "timeline": AuditEvent.objects.filter(spec_id=spec.pk).select_related("actor")[
            :TIMELINE_LENGTH
        ],
        "lint_override": cache(lambda: review().lint_override if is_current() else None),
        "can_override_lint": cache(
            lambda: (
                is_current()
                and permissions.may_override_lint(user, spec, can)
                and review().lint_override is None
                and bool(version.lint_errors)
            )
        ),
        "finding_groups": cache(lambda: group_findings(version.lint_findings or [])),
        "staleness_policy": cache(lambda: review_policy(spec.profile).staleness),
        "area_rows": cache(lambda: area_rows(review(), scopes())),
        "my_section_query": cache(lambda: my_section_query(user, review(), scopes())),
        "override_form": LintOverrideForm(),
        "can_edit_raci": permissions.may_edit_raci(can),
        **{key: cache(lambda key=key: comments()[key]) for key in COMMENT_KEYS},
        "group": cache(lambda: comments()["requested_group"]),  # the thread-group partial's
        "comments_facet": cache(
            lambda: comments_facet(user, spec, can, version, state_key, mine_comments, comment_line)
        ),
        **extra,
    }


def comments_facet(user, spec, can, version, state_key, mine: bool, line: int | None) -> tuple:
    """What the margin varies with for the person reading it, besides the spec's state: who
    they are only when some thread carries buttons for them alone (they started it, they are
    the author who marks threads addressed, or a site administrator who may settle any), or
    when they asked for their own threads; otherwise only what they may do."""
    if state_key is None:
        return ()
    personal = (
        mine
        or spec.author_id == user.pk
        or permissions.is_site_admin(user)
        or user.pk in comment_authors(spec, version, state_key)
    )
    return (
        user.pk if personal else 0,
        permissions.may_comment(can),
        permissions.may_reply(user, spec, can),
        version.pk == spec.current_version_id,
        line,
    )


# Uploading a version and requesting changes have their own controls (upload page, sign-off form).
BAR_TRANSITIONS = ("submit", "approve", "reject", "withdraw")


def applicable_transitions(
    review: ReviewState, actor: workflow.Actor
) -> list[workflow.TransitionCheck]:
    """The action bar's buttons: transitions that can leave the current state, allowed or not."""
    state = review.snapshot.state
    return [
        check
        for check in workflow.evaluate(review.snapshot, actor)
        if check.name in BAR_TRANSITIONS and state in workflow.TRANSITIONS[check.name]
    ]


def my_slots(review: ReviewState, actor: workflow.Actor, scopes: dict) -> tuple[SignSlot, ...]:
    slots = []
    for area in review.snapshot.areas:
        for role in (workflow.Role.ACCOUNTABLE, workflow.Role.RESPONSIBLE, workflow.Role.CONSULTED):
            if actor.user_id not in area.people(role):
                continue
            if signoff_rules.why_cannot_sign(review.snapshot, actor, area.name, role):
                continue
            current = review.snapshot.current_signoff(area.name, role, actor.user_id)
            stale = review.snapshot.stale_signoff(area.name, role, actor.user_id)
            slots.append(
                SignSlot(
                    area.name,
                    role,
                    signoff_rules.allowed_decisions(role),
                    current,
                    stale.version if stale and not current else None,
                    scopes.get(area.name) or (),
                )
            )
    return tuple(slots)


def area_rows(review: ReviewState, scopes: dict) -> list[dict]:
    """Each RACI area with the sections it covers, for the RACI panel's editor."""
    return [
        {"area": area.name, "sections": scopes.get(area.name) or ()}
        for area in review.snapshot.areas
    ]


def my_section_query(user, review: ReviewState, scopes: dict) -> str:
    """``section=…`` parameters for the sections of every area this person reviews; empty
    when one of them covers the whole spec (then every change is theirs)."""
    keys: list[str] = []
    for area in review.snapshot.areas:
        if user.pk not in (*area.responsible, *area.accountable, *area.consulted):
            continue
        sections = scopes.get(area.name)
        if not sections:
            return ""
        keys.extend(key for key in sections if key not in keys)
    return urlencode([("section", key) for key in keys])


def gate_rows(review: ReviewState) -> list[dict]:
    return [{"item": item, "check": review.gate_check(item.key)} for item in review.gate_items]


def carry_from(review: ReviewState) -> int | None:
    """The newest older version with ticks, when the current version has none yet."""
    if review.gate_checks or review.version.number == 1:
        return None
    latest = (
        GateCheck.objects.filter(
            version__spec=review.spec, version__number__lt=review.version.number
        )
        .exclude(state="unchecked")
        .order_by("-version__number")
        .values_list("version__number", flat=True)
        .first()
    )
    return latest


def decision_drift(version: SpecVersion, decisions: list[DecisionEntry]) -> list[DecisionDrift]:
    """Both ways: entries recorded in review that the document does not carry (or carries
    differently), and rows of the document's Scope Decision Log never recorded in review."""
    rows = {name_key(row["request"]): row for row in version.structures.get("decision_log", [])}
    current = [e for e in decisions if getattr(e, "superseded_by", None) is None]
    drift = []
    for entry in current:
        row = rows.get(name_key(entry.request))
        problem = _row_problem(version.number, entry, row)
        if problem:
            drift.append(DecisionDrift(entry.request, entry.decision, problem))
    recorded = {name_key(e.request) for e in current}
    for key, row in rows.items():
        if key not in recorded:
            problem = f"in v{version.number}'s Scope Decision Log, never recorded in review"
            drift.append(DecisionDrift(row["request"], row["decision"], problem))
    return drift


def _row_problem(number: int, entry: DecisionEntry, row: dict | None) -> str:
    if row is None:
        return f"not in v{number}'s Scope Decision Log"
    if row["decision"].strip() != entry.decision:
        return f"v{number} says {row['decision'] or 'nothing'}"
    if row["date"].strip() != entry.date.isoformat():
        return f"v{number} dates it {row['date'] or 'nowhere'}"
    return ""


def decisions_as_markdown(decisions: list[DecisionEntry]) -> str:
    """The current (non-superseded) log as section 5's table, for the author's next version."""

    def cell(text: str) -> str:
        return " ".join(text.replace("|", "\\|").split())

    lines = [
        "| Date | Request | Source | Decision | Rationale | Trade-off |",
        "|---|---|---|---|---|---|",
    ]
    for e in decisions:
        if getattr(e, "superseded_by", None) is None:
            lines.append(
                f"| {e.date.isoformat()} | {cell(e.request)} | {cell(e.source)} | {e.decision} "
                f"| {cell(e.rationale)} | {cell(e.trade_off)} |"
            )
    return "\n".join(lines) + "\n"
