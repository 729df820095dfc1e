"""The spec page: one page per version, the rendered spec and everything reviewers record."""

from csp.decorators import csp_update
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core.http import HtmxHttpRequest
from reviews import actions
from reviews.views.answers import PANELS
from reviews.views.page_context import review_context
from specs import permissions
from specs.models import SpecVersion

# Mermaid draws its SVGs with inline style attributes and <style> elements, which a strict
# style-src blocks; scripts stay 'self'-only, and author HTML can carry no style (sanitised).
MERMAID_CSP = {"style-src": ["'unsafe-inline'"]}


@require_GET
@csp_update(MERMAID_CSP)  # type: ignore[arg-type]  # django-csp types views as (request) only
def review_page(request: HtmxHttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    version = (
        spec.current_version
        if number is None
        else get_object_or_404(SpecVersion.objects.with_uploader(), spec=spec, number=number)
    )
    assert version is not None
    mine = request.GET.get("comments") == "mine"
    line = request.GET.get("line", "")  # a margin group asked for in full
    line_number = int(line) if line.isdigit() else None
    context = review_context(
        request.user, spec, can, version, mine_comments=mine, comment_line=line_number
    )
    panel = request.GET.get("partial")
    if request.htmx and panel in PANELS:
        return render(request, f"reviews/review.html#{panel}", context)
    context["versions"] = list(SpecVersion.objects.filter(spec=spec).listing())
    context["last_seen"] = actions.note_seen(
        user=request.user, spec=spec, version_number=version.number
    )
    return render(request, "reviews/review.html", context)
