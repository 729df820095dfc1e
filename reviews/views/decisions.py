"""The scope decision log: recording entries on a spec, and every decision across specs."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from core.http import HtmxHttpRequest
from reviews import actions, forms
from reviews.models import DecisionEntry
from reviews.views.answers import answer, invalid, refused
from specs import permissions

DECISIONS_PAGE_SIZE = 200


@require_POST
def record_decision(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require_reviewer(request.user, spec, can)
    form = forms.DecisionEntryForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, can, "decisions", form)
    fields = dict(form.cleaned_data)
    old_id, version = fields.pop("supersedes"), fields.pop("version")
    old = get_object_or_404(DecisionEntry, pk=old_id, spec=spec) if old_id else None
    try:
        actions.record_decision(
            spec=spec, by=request.user, expected_version=version, supersedes=old, **fields
        )
    except actions.ReviewError as error:
        return refused(request, spec, can, "decisions", error)
    message = "Decision superseded." if old else "Decision recorded."
    return answer(request, spec, can, "decisions", message)


@require_GET
def decision_log(request: HtmxHttpRequest) -> HttpResponse:
    """Every decision on every spec the user may see, filterable."""
    form = forms.DecisionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = DecisionEntry.objects.visible_to(request.user).log(**filters)
    context = {"form": form, "entries": entries[:DECISIONS_PAGE_SIZE], "limit": DECISIONS_PAGE_SIZE}
    template = "reviews/decisions.html#results" if request.htmx else "reviews/decisions.html"
    return render(request, template, context)
