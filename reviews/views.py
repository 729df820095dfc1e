from csp.decorators import csp_update
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.http import HtmxHttpRequest
from reviews import actions
from reviews.forms import LintOverrideForm
from reviews.models import LintOverride
from specs import permissions
from specs.models import SpecVersion
from specs.views import get_version, group_findings


# Mermaid draws its SVGs with inline style attributes and <style> elements, which a strict
# style-src blocks; scripts stay 'self'-only, and author HTML can carry no style (sanitised).
MERMAID_CSP = {"style-src": ["'unsafe-inline'"]}


@require_GET
@csp_update(MERMAID_CSP)
def review_page(request: HtmxHttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    """One page per spec version: the rendered spec and everything reviewers record on it."""
    spec, can = permissions.get_spec_for(request.user, slug)
    version = spec.current_version if number is None else get_version(spec, number)
    context = review_context(request, spec, version, can)
    context["versions"] = list(SpecVersion.objects.filter(spec=spec).listing())
    if request.htmx and request.GET.get("partial") == "rendered":
        return render(request, "reviews/review.html#rendered", context)
    return render(request, "reviews/review.html", context)


@require_POST
def lint_override(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require(
        may_override_lint(request.user, spec, can),
        "Only reviewers other than the author may override lint errors.",
    )
    version = get_version(spec, number)
    form = LintOverrideForm(request.POST)
    error = None if form.is_valid() else "Say why these lint errors should not block review."
    if error is None:
        try:
            actions.record_lint_override(
                version=version, by=request.user, reason=form.cleaned_data["reason"]
            )
        except actions.ReviewError as refused:
            error = str(refused)
    if not request.htmx:
        messages.error(request, error) if error else messages.success(
            request, "Lint override recorded."
        )
        return redirect("spec_version", slug=spec.slug, number=number)
    context = review_context(request, spec, version, can, override_error=error, override_form=form)
    return render(request, "reviews/review.html#lint-panel", context, status=422 if error else 200)


def review_context(request, spec, version, can, **extra) -> dict:
    override = LintOverride.objects.select_related("recorded_by").filter(version=version).first()
    return {
        "spec": spec,
        "version": version,
        "can": can,
        "lint_override": override,
        "can_override_lint": may_override_lint(request.user, spec, can)
        and override is None
        and bool(version.lint_errors),
        "finding_groups": group_findings(version.lint_findings or []),
        "override_form": LintOverrideForm(),
        **extra,
    }


def may_override_lint(user, spec, can) -> bool:
    return can.can_review and spec.author_id != user.pk
