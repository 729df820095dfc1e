"""The review steps taken on the spec page: transitions, sign-offs, the gate, lint, the RACI.

Each view reads top to bottom: fetch and authorise, bind the form, call one action, answer.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from core.http import HtmxHttpRequest
from reviews import actions, forms
from reviews.views.answers import answer, invalid, refused
from specs import permissions
from specs.models import SpecVersion


@require_POST
def transition(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    # No coarse permission: the transition table knows who may submit, approve, reject, withdraw.
    spec, can = permissions.get_spec_for(request.user, slug)
    form = forms.TransitionForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, can, "actions", form)
    d = form.cleaned_data
    try:
        done = actions.transition(
            spec=spec,
            name=d["name"],
            by=request.user,
            expected_row_version=d["row_version"],
            comment=d["comment"],
        )
    except actions.ReviewError as error:
        return refused(request, spec, can, "actions", error)
    return answer(request, spec, can, "actions", f"{spec.title} is now {done.get_state_display()}.")


@require_POST
def sign_off(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require_reviewer(request.user, spec, can)
    form = forms.SignOffForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, can, "signoffs", form)
    d = form.cleaned_data
    try:
        actions.sign_off(
            spec=spec,
            area=d["area"],
            role=d["role"],
            decision=d["decision"],
            comment=d["comment"],
            by=request.user,
            expected_version=d["version"],
        )
    except actions.ReviewError as error:
        return refused(request, spec, can, "signoffs", error)
    return answer(request, spec, can, "signoffs", f"Sign-off recorded for {d['area']}.")


@require_POST
def withdraw_signoff(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require_reviewer(request.user, spec, can)
    form = forms.WithdrawSignOffForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, can, "signoffs", form)
    d = form.cleaned_data
    try:
        withdrawn = actions.withdraw_signoff(
            spec=spec,
            area=d["area"],
            role=d["role"],
            by=request.user,
            expected_version=d["version"],
        )
    except actions.ReviewError as error:
        return refused(request, spec, can, "signoffs", error)
    message = f"Withdrawn: your {withdrawn.get_decision_display().lower()} for {d['area']}."
    return answer(request, spec, can, "signoffs", message)


@require_POST
def tick_gate(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require_reviewer(request.user, spec, can)
    form = forms.GateTickForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, can, "gates", form)
    d = form.cleaned_data
    try:
        actions.tick_gate(
            spec=spec,
            item=d["item"],
            state=d["state"],
            reason=d["reason"],
            by=request.user,
            expected_version=d["version"],
            expected_revision=d["revision"],
        )
    except actions.ReviewError as error:
        return refused(request, spec, can, "gates", error)
    return answer(request, spec, can, "gates", f"Recorded “{d['item']}”.")


@require_POST
def tick_gates(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require_reviewer(request.user, spec, can)
    form = forms.GateTicksForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, can, "gates", form)
    d = form.cleaned_data
    try:
        checks = actions.tick_gates(
            spec=spec,
            items=d["tick"],
            state=d["state"],
            reason=d["reason"],
            by=request.user,
            expected_version=d["version"],
        )
    except actions.ReviewError as error:
        return refused(request, spec, can, "gates", error)
    saved = f"Saved {len(checks)} gate item{'s' if len(checks) != 1 else ''}."
    return answer(request, spec, can, "gates", saved)


@require_POST
def carry_over_gates(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require_reviewer(request.user, spec, can)
    form = forms.CarryOverForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, can, "gates", form)
    d = form.cleaned_data
    try:
        carried = actions.carry_over_gates(
            spec=spec,
            from_version=d["from_version"],
            by=request.user,
            expected_version=d["version"],
        )
    except actions.ReviewError as error:
        return refused(request, spec, can, "gates", error)
    message = f"Carried {carried} ticks over from v{d['from_version']}."
    return answer(request, spec, can, "gates", message)


@require_POST
def lint_override(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require(
        permissions.may_override_lint(request.user, spec, can),
        "Only reviewers other than the author may override lint errors.",
    )
    version = get_object_or_404(SpecVersion, spec=spec, number=number)
    form = forms.LintOverrideForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, can, "lint-panel", form)
    try:
        actions.record_lint_override(
            version=version, by=request.user, reason=form.cleaned_data["reason"]
        )
    except actions.ReviewError as error:
        return refused(request, spec, can, "lint-panel", error)
    return answer(request, spec, can, "lint-panel", "Lint override recorded.")


@require_POST
def assign_raci(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require(permissions.may_edit_raci(can), permissions.RACI_EDITORS_ONLY)
    form = forms.RaciAssignForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, can, "raci", form)
    d = form.cleaned_data
    try:
        actions.assign_raci(
            spec=spec,
            area=d["area"],
            role=d["role"],
            user=d["username"],
            by=request.user,
            expected_row_version=d["row_version"],
        )
    except actions.ReviewError as error:
        return refused(request, spec, can, "raci", error)
    return answer(request, spec, can, "raci", f"{d['username'].display_name} added to {d['area']}.")


@require_POST
def unassign_raci(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require(permissions.may_edit_raci(can), permissions.RACI_EDITORS_ONLY)
    form = forms.RaciRemoveForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, can, "raci", form)
    d = form.cleaned_data
    try:
        actions.unassign_raci(
            spec=spec,
            assignment_id=d["assignment"],
            by=request.user,
            expected_row_version=d["row_version"],
        )
    except actions.ReviewError as error:
        return refused(request, spec, can, "raci", error)
    return answer(request, spec, can, "raci", "Assignment removed.")


@require_POST
def apply_raci_proposal(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require(permissions.may_edit_raci(can), permissions.RACI_EDITORS_ONLY)
    form = forms.RowVersionForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, can, "raci", form)
    try:
        added, removed = actions.apply_raci_proposal(
            spec=spec, by=request.user, expected_row_version=form.cleaned_data["row_version"]
        )
    except actions.ReviewError as error:
        return refused(request, spec, can, "raci", error)
    message = f"RACI updated from the document: {added} added, {removed} removed."
    return answer(request, spec, can, "raci", message)


@require_POST
def set_area_sections(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require(permissions.may_edit_raci(can), permissions.RACI_EDITORS_ONLY)
    form = forms.AreaSectionsForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, can, "raci", form)
    d = form.cleaned_data
    try:
        actions.set_area_sections(
            spec=spec,
            area=d["area"],
            sections=d["sections"].splitlines(),
            by=request.user,
            expected_row_version=d["row_version"],
        )
    except actions.ReviewError as error:
        return refused(request, spec, can, "raci", error)
    return answer(request, spec, can, "raci", f"Sections of {d['area']} updated.")
