"""How every review POST answers: the acting panel, fresh, with its message and status.

htmx gets the panel alone, and an ``HX-Trigger`` that makes every other live panel refresh
itself; a plain form POST gets a redirect on success and the whole page otherwise.
Statuses: 200 done, 403 refused by the rules, 409 the form was stale, 422 the form was invalid.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from core.http import HtmxHttpRequest
from reviews import actions
from reviews.views.page_context import review_context
from specs.models import Spec, SpecVersion
from specs.permissions import SpecAbilities

# Panels that depend on review state and refresh themselves when another panel changes it.
LIVE_PANELS = (
    "header",
    "actions",
    "signoffs",
    "gates",
    "decisions",
    "comments",
    "raci",
    "timeline",
)
# A margin group of comment threads (loaded on request, or answering a step on one of its
# threads), and the threads a diff page shows beside its lines.
THREAD_PANELS = ("thread-group", "diff-threads")
PANELS = frozenset({"rendered", "lint-panel", *LIVE_PANELS, *THREAD_PANELS})


def answer(
    request: HtmxHttpRequest,
    spec: Spec,
    can: SpecAbilities,
    panel: str,
    message: str,
    *,
    status: int = 200,
    acted_thread: int | None = None,
    **extra,
) -> HttpResponse:
    if status == 200 and not request.htmx:
        messages.success(request, message)
        return redirect(spec)
    fresh = Spec.objects.with_current_version().get(pk=spec.pk)
    assert fresh.current_version is not None
    context = review_context(
        request.user,
        fresh,
        can,
        fresh.current_version,
        panel_message=message,
        panel_ok=status == 200,
        message_panel=panel,
        comment_thread=acted_thread,
        acted_thread=acted_thread,
        **extra,
    )
    if request.htmx:
        response = render(request, f"reviews/review.html#{panel}", context, status=status)
    else:
        context["versions"] = list(SpecVersion.objects.filter(spec=fresh).listing())
        response = render(request, "reviews/review.html", context, status=status)
    if status == 200:
        # The acting panel already has its fresh copy (and its message), so it is left out.
        # Per-panel event names need no htmx filter (which would need eval).
        # A step on one thread answers with its group alone: the margin keeps everything else.
        fresh_already = {panel, "comments"} if panel in THREAD_PANELS else {panel}
        response["HX-Trigger"] = ", ".join(
            f"refresh-{p}" for p in LIVE_PANELS if p not in fresh_already
        )
    return response


def refused(
    request: HtmxHttpRequest,
    spec: Spec,
    can: SpecAbilities,
    panel: str,
    error: Exception,
    **extra,
) -> HttpResponse:
    """The action said no: 409 when the form was stale (with the fresh state), else 403."""
    status = 409 if isinstance(error, actions.StaleForm) else 403
    return answer(request, spec, can, panel, str(error), status=status, **extra)


def invalid(
    request: HtmxHttpRequest,
    spec: Spec,
    can: SpecAbilities,
    panel: str,
    form,
    **extra,
) -> HttpResponse:
    message = " ".join(str(error) for errors in form.errors.values() for error in errors)
    return answer(request, spec, can, panel, message, status=422, **extra)
