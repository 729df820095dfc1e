"""Review comments on the spec page: new threads, replies, and address / resolve / reopen.

They answer like every review step (reviews.views.answers): the fresh Comments panel, 403
refused, 409 stale, 422 invalid; the other live panels refresh through HX-Trigger.
"""

from collections.abc import Callable

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from core.http import HtmxHttpRequest
from reviews import actions, forms
from reviews.models import Comment
from reviews.views.answers import answer, invalid, refused
from specs import permissions

PANEL = "comments"


@require_POST
def add_comment(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require(permissions.may_comment(can), "Only reviewers of this spec comment on it.")
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, can, PANEL, form)
    d = form.cleaned_data
    try:
        comment = actions.add_comment(
            spec=spec,
            by=request.user,
            body=d["body"],
            expected_version=d["version"],
            line_start=d["line_start"],
            line_end=d["line_end"],
            section=d["section"],
            blocking=d["blocking"],
        )
    except actions.ReviewError as error:
        return refused(request, spec, can, PANEL, error)
    done = "Blocking comment added." if comment.blocking else "Comment added."
    return answer(request, spec, can, PANEL, done)


@require_POST
def reply_comment(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require(
        permissions.may_reply(request.user, spec, can),
        "Only reviewers and the author reply to comments.",
    )
    form = forms.ReplyForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, can, PANEL, form)
    parent = get_object_or_404(Comment, pk=form.cleaned_data["comment"], spec=spec)
    try:
        actions.reply(spec=spec, parent=parent, by=request.user, body=form.cleaned_data["body"])
    except actions.ReviewError as error:
        return refused(request, spec, can, PANEL, error)
    return answer(request, spec, can, PANEL, "Reply added.")


CHANGES: dict[str, tuple[Callable[..., Comment], str]] = {
    "address": (actions.mark_addressed, "Marked addressed."),
    "resolve": (actions.resolve, "Comment resolved."),
    "reopen": (actions.reopen, "Comment reopened."),
}


@require_POST
def change_comment(request: HtmxHttpRequest, slug: str, change: str) -> HttpResponse:
    # Who may address or settle depends on the comment; the action decides (403 via ReviewError).
    if change not in CHANGES:
        raise Http404("No such change")
    action, done = CHANGES[change]
    spec, can = permissions.get_spec_for(request.user, slug)
    form = forms.CommentStateForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, can, PANEL, form)
    d = form.cleaned_data
    comment = get_object_or_404(Comment, pk=d["comment"], spec=spec)
    extra = {"note": d["note"]} if change == "address" else {}
    try:
        action(
            spec=spec, comment=comment, by=request.user, expected_revision=d["revision"], **extra
        )
    except actions.ReviewError as error:
        return refused(request, spec, can, PANEL, error)
    return answer(request, spec, can, PANEL, done)
