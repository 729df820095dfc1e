"""Review state and review actions, through the same action functions as the pages.

Every write takes the same steps as a page's POST: fetch and authorise (404 unseen), check
the coarse permission (403), then call the one action, whose rule book answers 403 (refused)
or 409 (stale) itself. The answer is the fresh review state.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Path, Router

from api.auth import require_scope
from api.idempotency import idempotent
from api.models import Scope
from api.schemas import (
    SLUG_PATTERN,
    AreaOut,
    CellOut,
    CommentOut,
    DecisionIn,
    DecisionOut,
    GateOut,
    GateTickIn,
    ProblemOut,
    ReviewOut,
    SignOffIn,
    TransitionIn,
    TransitionOut,
)
from reviews import actions
from reviews.models import Comment, CommentState, DecisionEntry
from reviews.rules.signoffs import signoff_matrix
from reviews.rules.workflow import check as check_transition
from reviews.snapshot import actor_for, load_review
from specs import permissions
from specs.models import Spec

from .serialize import json_response

router = Router(tags=["reviews"])

ERRORS: dict[int, type[ProblemOut]] = dict.fromkeys((401, 403, 404, 409, 422, 429), ProblemOut)
Slug = Path(..., pattern=SLUG_PATTERN, max_length=80)
TRANSITIONS = ("submit", "approve", "reject", "withdraw")


@router.get("/specs/{slug}/review", response={200: ReviewOut, **ERRORS})
def review_state(request: HttpRequest, slug: str = Slug):
    """Workflow state, sign-off matrix with whose turn it is, gates, blockers and decisions."""
    spec, can = permissions.get_spec_for(request.user, slug)
    return review_out(request.user, spec, can)


@router.post("/specs/{slug}/transitions", response={200: ReviewOut, **ERRORS})
def transition(request: HttpRequest, payload: TransitionIn, slug: str = Slug):
    """Submit, approve, reject or withdraw; `row_version` from the review state (409 if stale)."""
    require_scope(request, Scope.REVIEW)
    spec, _ = permissions.get_spec_for(request.user, slug)

    def run() -> HttpResponse:
        actions.transition(
            spec=spec,
            name=payload.name,
            by=request.user,
            expected_row_version=payload.row_version,
            comment=payload.comment,
        )
        return _fresh(request, spec)

    return idempotent(request, run)


@router.post("/specs/{slug}/signoffs", response={200: ReviewOut, **ERRORS})
def sign_off(request: HttpRequest, payload: SignOffIn, slug: str = Slug):
    require_scope(request, Scope.REVIEW)
    spec = _reviewable(request, slug)

    def run() -> HttpResponse:
        actions.sign_off(
            spec=spec,
            area=payload.area,
            role=payload.role,
            decision=payload.decision,
            comment=payload.comment,
            by=request.user,
            expected_version=payload.version,
        )
        return _fresh(request, spec)

    return idempotent(request, run)


@router.post("/specs/{slug}/gates", response={200: ReviewOut, **ERRORS})
def tick_gate(request: HttpRequest, payload: GateTickIn, slug: str = Slug):
    """Tick, untick or mark N/A one checklist item; `revision` from the review state."""
    require_scope(request, Scope.REVIEW)
    spec = _reviewable(request, slug)

    def run() -> HttpResponse:
        actions.tick_gate(
            spec=spec,
            item=payload.item,
            state=payload.state,
            reason=payload.reason,
            by=request.user,
            expected_version=payload.version,
            expected_revision=payload.revision,
        )
        return _fresh(request, spec)

    return idempotent(request, run)


@router.post("/specs/{slug}/decisions", response={200: ReviewOut, **ERRORS})
def record_decision(request: HttpRequest, payload: DecisionIn, slug: str = Slug):
    """Add a scope decision, or supersede one (`supersedes`: its id)."""
    require_scope(request, Scope.REVIEW)
    spec = _reviewable(request, slug)

    def run() -> HttpResponse:
        old = None
        if payload.supersedes is not None:
            old = get_object_or_404(DecisionEntry, pk=payload.supersedes, spec=spec)
        actions.record_decision(
            spec=spec,
            by=request.user,
            expected_version=payload.version,
            date=payload.date,
            request=payload.request,
            source=payload.source,
            decision=payload.decision,
            rationale=payload.rationale,
            trade_off=payload.trade_off,
            supersedes=old,
        )
        return _fresh(request, spec)

    return idempotent(request, run)


def _reviewable(request: HttpRequest, slug: str) -> Spec:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require_reviewer(request.user, spec, can)
    return spec


def _fresh(request: HttpRequest, spec: Spec) -> HttpResponse:
    fresh = Spec.objects.with_current_version().get(pk=spec.pk)
    return json_response(
        review_out(request.user, fresh, permissions.abilities(request.user, fresh))
    )


def review_out(user, spec: Spec, can: permissions.SpecAbilities) -> ReviewOut:
    state = load_review(spec)
    snapshot = state.snapshot
    actor = actor_for(user, spec, can)
    matrix = signoff_matrix(snapshot)
    user_ids = {cell.user_id for row in matrix for cell in row.cells}
    usernames = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username"))
    comments = (
        Comment.objects.filter(spec=spec, parent=None, blocking=True)
        .exclude(state=CommentState.RESOLVED)
        .select_related("author", "version")
        .order_by("id")
    )
    decisions = (
        DecisionEntry.objects.filter(spec=spec)
        .current()
        .select_related("version", "recorded_by")
        .order_by("date", "id")
    )
    return ReviewOut(
        slug=spec.slug,
        state=spec.state,  # type: ignore[arg-type]  # a SpecState value
        row_version=spec.row_version,
        version=state.version.number,
        lint_errors=state.version.lint_errors,
        lint_overridden=state.lint_override is not None,
        transitions=[
            TransitionOut(name=c.name, allowed=c.allowed, reasons=list(c.reasons))
            for c in (check_transition(snapshot, actor, name) for name in TRANSITIONS)
        ],
        signoffs=[
            AreaOut(
                area=row.area,
                turn=row.turn,
                done=row.done,
                cells=[
                    CellOut(
                        role=cell.role.value,  # type: ignore[arg-type]  # R, A or C
                        username=usernames.get(cell.user_id, ""),
                        name=cell.name,
                        state=cell.state.value,
                        stale_from=cell.stale_from,
                        carried_from=cell.carried_from,
                        comment=cell.comment,
                    )
                    for cell in row.cells
                ],
                informed=list(row.informed),
            )
            for row in matrix
        ],
        gates=[_gate_out(state, item) for item in state.gate_items],
        open_blocking_comments=[
            CommentOut(
                id=c.pk,
                author=c.author.username,
                body=c.body,
                section=c.section,
                line_start=c.line_start,
                line_end=c.line_end,
                state=c.state,
                version=c.version.number,
            )
            for c in comments
        ],
        decisions=[
            DecisionOut(
                id=d.pk,
                date=d.date,
                request=d.request,
                source=d.source,
                decision=d.decision,
                rationale=d.rationale,
                trade_off=d.trade_off,
                version=d.version.number,
                supersedes=d.supersedes_id,
                recorded_by=d.recorded_by.username,
                recorded_at=d.recorded_at,
            )
            for d in decisions
        ],
    )


def _gate_out(state, item) -> GateOut:
    check = state.gate_check(item.key)
    return GateOut(
        item=item.key,
        state=item.state.value,
        reason=item.reason,
        revision=check.revision if check else 0,
        by=check.by.username if check and check.by else None,
        at=check.at if check else None,
    )
