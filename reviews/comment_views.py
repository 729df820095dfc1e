"""Posting review comments: new threads, replies, and address / resolve / reopen.

Each answers like every review POST (reviews.views.post_action): the fresh Comments panel,
403 refused, 409 stale, 422 invalid; the other live panels refresh through HX-Trigger.
"""

from collections.abc import Callable

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from core.http import HtmxHttpRequest
from reviews import actions, forms
from reviews.models import Comment
from reviews.views import post_action
from specs import permissions
from specs.models import Spec

PANEL = "comments"


@require_POST
def add_comment(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    def act(spec: Spec, d: dict) -> str:
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
        return "Blocking comment added." if comment.blocking else "Comment added."

    return post_action(
        request,
        slug,
        forms.CommentForm,
        PANEL,
        act,
        allowed=permissions.may_comment,
        refusal="Only reviewers of this spec comment on it.",
    )


@require_POST
def reply_comment(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    def act(spec: Spec, d: dict) -> str:
        parent = get_object_or_404(Comment, pk=d["comment"], spec=spec)
        actions.reply(spec=spec, parent=parent, by=request.user, body=d["body"])
        return "Reply added."

    # The coarse check needs the user as well as the abilities; the action asks again.
    spec, can = permissions.get_spec_for(request.user, slug)
    permissions.require(
        permissions.may_reply(request.user, spec, can),
        "Only reviewers and the author reply to comments.",
    )
    return post_action(request, slug, forms.ReplyForm, PANEL, act)


CHANGES: dict[str, tuple[Callable[..., Comment], str]] = {
    "address": (actions.mark_addressed, "Marked addressed."),
    "resolve": (actions.resolve, "Comment resolved."),
    "reopen": (actions.reopen, "Comment reopened."),
}


@require_POST
def change_comment(request: HtmxHttpRequest, slug: str, change: str) -> HttpResponse:
    if change not in CHANGES:
        raise Http404("No such change")
    action, done = CHANGES[change]

    def act(spec: Spec, d: dict) -> str:
        comment = get_object_or_404(Comment, pk=d["comment"], spec=spec)
        extra = {"note": d["note"]} if change == "address" else {}
        action(
            spec=spec, comment=comment, by=request.user, expected_revision=d["revision"], **extra
        )
        return done

    # Who may address or settle depends on the comment; the action decides (403 via ReviewError).
    return post_action(request, slug, forms.CommentStateForm, PANEL, act)
