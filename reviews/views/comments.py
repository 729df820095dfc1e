"""Review comments on the spec page: new threads, replies, and address / resolve / reopen.

They answer like every review step (reviews.views.answers): 403 refused, 409 stale, 422
invalid. A new thread answers with the whole margin (or, from a diff, the diff's threads),
the composer refilled when it was refused; a step on a thread answers with that thread's
group alone, its message inside the thread, so focus lands where the user acted.
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

# The panel a new thread's answer refreshes: the review page's margin, or a diff's threads.
NEW_THREAD_PANELS = frozenset({"comments", "diff-threads"})
THREAD_PANEL = "thread-group"


def _thread_of(request: HtmxHttpRequest) -> int | None:
    """The thread a form acted on, as the page sent it (for placing the answer's message)."""
    value = request.POST.get("comment", "")
    return int(value) if value.isdigit() else None


@require_POST
def add_comment(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require(permissions.may_comment(can), "Only reviewers of this spec comment on it.")
    sent_from = request.POST.get("panel", "")
    panel = sent_from if sent_from in NEW_THREAD_PANELS else "comments"
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, can, panel, form, comment_form=form)
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
            quote=d["quote"],
        )
    except actions.ReviewError as error:
        return refused(request, spec, can, panel, error, comment_form=form)
    done = "Blocking comment added." if comment.blocking else "Comment added."
    return answer(request, spec, can, panel, done, acted_thread=comment.pk)


@require_POST
def reply_comment(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require(
        permissions.may_reply(request.user, spec, can),
        "Only reviewers and the author reply to comments.",
    )
    form = forms.ReplyForm(request.POST)
    if not form.is_valid():
        return invalid(request, spec, can, THREAD_PANEL, form, acted_thread=_thread_of(request))
    parent = get_object_or_404(Comment, pk=form.cleaned_data["comment"], spec=spec)
    try:
        actions.reply(spec=spec, parent=parent, by=request.user, body=form.cleaned_data["body"])
    except actions.ReviewError as error:
        return refused(request, spec, can, THREAD_PANEL, error, acted_thread=parent.pk)
    return answer(request, spec, can, THREAD_PANEL, "Reply added.", acted_thread=parent.pk)


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
        return invalid(request, spec, can, THREAD_PANEL, form, acted_thread=_thread_of(request))
    d = form.cleaned_data
    comment = get_object_or_404(Comment, pk=d["comment"], spec=spec)
    extra = {"note": d["note"]} if change == "address" else {}
    try:
        action(
            spec=spec, comment=comment, by=request.user, expected_revision=d["revision"], **extra
        )
    except actions.ReviewError as error:
        return refused(request, spec, can, THREAD_PANEL, error, acted_thread=comment.pk)
    return answer(request, spec, can, THREAD_PANEL, done, acted_thread=comment.pk)
