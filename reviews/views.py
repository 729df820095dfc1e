from collections.abc import Callable

from csp.decorators import csp_update
from django import forms as django_forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.http import HtmxHttpRequest
from reviews import actions, forms
from reviews.models import DecisionEntry
from reviews.page import may_override_lint, review_context
from specs import permissions
from specs.models import Spec, SpecVersion
from specs.permissions import SpecAbilities
from specs.views import get_version

# Mermaid draws its SVGs with inline style attributes and <style> elements, which a strict
# style-src blocks; scripts stay 'self'-only, and author HTML can carry no style (sanitised).
MERMAID_CSP = {"style-src": ["'unsafe-inline'"]}
PANELS = {
    "rendered",
    "lint-panel",
    "actions",
    "signoffs",
    "gates",
    "decisions",
    "comments",
    "raci",
    "timeline",
}
# Panels that depend on review state and refresh themselves when another panel changes it.
LIVE_PANELS = ("actions", "signoffs", "gates", "decisions", "comments", "raci", "timeline")


@require_GET
@csp_update(MERMAID_CSP)  # type: ignore[arg-type]  # django-csp types views as (request) only
def review_page(request: HtmxHttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    """One page per spec version: the rendered spec and everything reviewers record on it."""
    spec, can = permissions.get_spec_for(request.user, slug)
    version = spec.current_version if number is None else get_version(spec, number)
    assert version is not None
    mine = request.GET.get("comments") == "mine"
    context = review_context(request.user, spec, can, version, mine_comments=mine)
    panel = request.GET.get("partial")
    if request.htmx and panel in PANELS:
        return render(request, f"reviews/review.html#{panel}", context)
    context["versions"] = list(SpecVersion.objects.filter(spec=spec).listing())
    return render(request, "reviews/review.html", context)


def respond(
    request: HtmxHttpRequest, spec: Spec, panel: str, run: Callable[[], str]
) -> HttpResponse:
    """Run an action and answer with the fresh panel: 409 if the form was stale, 403 if refused."""
    try:
        return answer(request, spec, panel, status=200, message=run())
    except actions.StaleForm as stale:
        return answer(request, spec, panel, status=409, message=str(stale))
    except actions.ReviewError as refused:
        return answer(request, spec, panel, status=403, message=str(refused))


def invalid(request: HtmxHttpRequest, spec: Spec, panel: str, form) -> HttpResponse:
    message = " ".join(str(error) for errors in form.errors.values() for error in errors)
    return answer(request, spec, panel, status=422, message=message)


def answer(
    request: HtmxHttpRequest, spec: Spec, panel: str, *, status: int, message: str
) -> HttpResponse:
    if status == 200 and not request.htmx:
        messages.success(request, message)
        return redirect("spec", slug=spec.slug)
    fresh = Spec.objects.with_current_version().get(pk=spec.pk)
    can = permissions.abilities(request.user, fresh)
    assert fresh.current_version is not None
    context = review_context(
        request.user,
        fresh,
        can,
        fresh.current_version,
        panel_message=message,
        panel_ok=status == 200,
        message_panel=panel,
    )
    if request.htmx:
        response = render(request, f"reviews/review.html#{panel}", context, status=status)
    else:
        context["versions"] = list(SpecVersion.objects.filter(spec=fresh).listing())
        response = render(request, "reviews/review.html", context, status=status)
    if status == 200:
        # Every other live panel refreshes itself; the one that acted already has its fresh copy
        # (and its message), so it is left out. Per-panel event names need no htmx filter (eval).
        others = [f"refresh-{name}" for name in LIVE_PANELS if name != panel]
        response["HX-Trigger"] = ", ".join(others)
    return response


@require_POST
def lint_override(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require(
        may_override_lint(request.user, spec, can),
        "Only reviewers other than the author may override lint errors.",
    )
    version = get_version(spec, number)
    form = forms.LintOverrideForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, "lint-panel", form)
    reason = form.cleaned_data["reason"]

    def run() -> str:
        actions.record_lint_override(version=version, by=request.user, reason=reason)
        return "Lint override recorded."

    return respond(request, spec, "lint-panel", run)


REVIEWERS_ONLY = "You do not have review permission on this spec."
RACI_EDITORS_ONLY = "Only the author or an administrator edits the RACI."


def reviewers(can: SpecAbilities) -> bool:
    return can.can_review


def raci_editors(can: SpecAbilities) -> bool:
    return can.can_administer


def post_action(
    request: HtmxHttpRequest,
    slug: str,
    form_class: type[django_forms.Form],
    panel: str,
    act: Callable[[Spec, dict], str],
    *,
    allowed: Callable[[SpecAbilities], bool] | None = None,
    refusal: str = "",
) -> HttpResponse:
    """The shape of every review POST: fetch and authorise, bind the form, act, answer the panel.

    `allowed` is the coarse permission (403 up front); the rule book inside the action decides
    the rest (who may sign which slot, what a transition needs) and answers 403 or 409 itself.
    """
    spec, can = permissions.get_spec_for(request.user, slug)
    if allowed is not None:
        if allowed is reviewers and spec.author_id == request.user.pk:
            refusal = permissions.AUTHOR_CANNOT_REVIEW
        permissions.require(allowed(can), refusal)
    form = form_class(request.POST)
    if not form.is_valid():
        return invalid(request, spec, panel, form)
    return respond(request, spec, panel, lambda: act(spec, form.cleaned_data))


@require_POST
def transition(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    def act(spec: Spec, d: dict) -> str:
        done = actions.transition(
            spec=spec,
            name=d["name"],
            by=request.user,
            expected_row_version=d["row_version"],
            comment=d["comment"],
        )
        return f"{spec.title} is now {done.get_state_display()}."

    # No coarse permission: the transition table knows who may submit, approve, reject, withdraw.
    return post_action(request, slug, forms.TransitionForm, "actions", act)


@require_POST
def sign_off(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    def act(spec: Spec, d: dict) -> str:
        actions.sign_off(
            spec=spec,
            area=d["area"],
            role=d["role"],
            decision=d["decision"],
            comment=d["comment"],
            by=request.user,
            expected_version=d["version"],
        )
        return f"Sign-off recorded for {d['area']}."

    return post_action(
        request, slug, forms.SignOffForm, "signoffs", act, allowed=reviewers, refusal=REVIEWERS_ONLY
    )


@require_POST
def tick_gate(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    def act(spec: Spec, d: dict) -> str:
        actions.tick_gate(
            spec=spec,
            item=d["item"],
            state=d["state"],
            reason=d["reason"],
            by=request.user,
            expected_version=d["version"],
            expected_revision=d["revision"],
        )
        return f"Recorded “{d['item']}”."

    return post_action(
        request, slug, forms.GateTickForm, "gates", act, allowed=reviewers, refusal=REVIEWERS_ONLY
    )


@require_POST
def carry_over_gates(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    def act(spec: Spec, d: dict) -> str:
        carried = actions.carry_over_gates(
            spec=spec,
            from_version=d["from_version"],
            by=request.user,
            expected_version=d["version"],
        )
        return f"Carried {carried} ticks over from v{d['from_version']}."

    return post_action(
        request, slug, forms.CarryOverForm, "gates", act, allowed=reviewers, refusal=REVIEWERS_ONLY
    )


@require_POST
def record_decision(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    def act(spec: Spec, d: dict) -> str:
        fields = dict(d)
        old_id, version = fields.pop("supersedes"), fields.pop("version")
        old = get_object_or_404(DecisionEntry, pk=old_id, spec=spec) if old_id else None
        actions.record_decision(
            spec=spec, by=request.user, expected_version=version, supersedes=old, **fields
        )
        return "Decision superseded." if old else "Decision recorded."

    return post_action(
        request,
        slug,
        forms.DecisionEntryForm,
        "decisions",
        act,
        allowed=reviewers,
        refusal=REVIEWERS_ONLY,
    )


@require_POST
def assign_raci(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    def act(spec: Spec, d: dict) -> str:
        actions.assign_raci(
            spec=spec,
            area=d["area"],
            role=d["role"],
            user=d["username"],
            by=request.user,
            expected_row_version=d["row_version"],
        )
        return f"{d['username'].display_name} added to {d['area']}."

    return post_action(
        request,
        slug,
        forms.RaciAssignForm,
        "raci",
        act,
        allowed=raci_editors,
        refusal=RACI_EDITORS_ONLY,
    )


@require_POST
def unassign_raci(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    def act(spec: Spec, d: dict) -> str:
        actions.unassign_raci(
            spec=spec,
            assignment_id=d["assignment"],
            by=request.user,
            expected_row_version=d["row_version"],
        )
        return "Assignment removed."

    return post_action(
        request,
        slug,
        forms.RaciRemoveForm,
        "raci",
        act,
        allowed=raci_editors,
        refusal=RACI_EDITORS_ONLY,
    )


@require_POST
def apply_raci_proposal(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    def act(spec: Spec, d: dict) -> str:
        added, removed = actions.apply_raci_proposal(
            spec=spec, by=request.user, expected_row_version=d["row_version"]
        )
        return f"RACI updated from the document: {added} added, {removed} removed."

    return post_action(
        request,
        slug,
        forms.RowVersionForm,
        "raci",
        act,
        allowed=raci_editors,
        refusal=RACI_EDITORS_ONLY,
    )


DECISIONS_PAGE_SIZE = 200


@require_GET
def decision_log(request: HtmxHttpRequest) -> HttpResponse:
    """Every decision on every spec the user may see, filterable."""
    form = forms.DecisionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    entries = DecisionEntry.objects.filter(spec__in=permissions.visible_specs(request.user))
    if not data.get("include_superseded"):
        entries = entries.current()
    entries = (
        entries.filtered(
            decision=data.get("decision", ""),
            source=data.get("source", ""),
            spec_slug=data.get("spec", ""),
            since=data.get("since"),
            until=data.get("until"),
        )
        .select_related("spec", "version", "recorded_by", "superseded_by")
        .order_by("-date", "-id")
    )
    context = {"form": form, "entries": entries[:DECISIONS_PAGE_SIZE], "limit": DECISIONS_PAGE_SIZE}
    template = "reviews/decisions.html#results" if request.htmx else "reviews/decisions.html"
    return render(request, template, context)
