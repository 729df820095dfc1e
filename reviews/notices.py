"""Who hears about what: the review side's calls into the notification outbox.

Called inside the action's transaction, so the outbox rows commit (or roll back) with the change.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model

from notifications.actions import notify
from notifications.events import Event
from reviews.models import Comment, LastSeen, RaciAssignment, SignOff
from specs import permissions
from specs.models import Spec

_TRANSITION_EVENTS = {
    "submit": Event.REVIEW_REQUESTED,
    "approve": Event.SPEC_APPROVED,
    "reject": Event.SPEC_REJECTED,
    "withdraw": Event.SPEC_WITHDRAWN,
}


def raci_people(spec: Spec) -> list:
    return [
        a.user
        for a in RaciAssignment.objects.filter(spec=spec, user__isnull=False).select_related("user")
    ]


def transition_taken(spec: Spec, name: str, *, version_number: int, by) -> None:
    event = _TRANSITION_EVENTS.get(name)
    if event is None:
        return
    recipients = [*raci_people(spec), spec.author]
    notify(event=event, spec=spec, version_number=version_number, actor=by, recipients=recipients)


def signoff_recorded(spec: Spec, signoff: SignOff, *, by) -> None:
    context = {
        "area": signoff.area,
        "decision": signoff.get_decision_display(),
        "excerpt": signoff.comment[:300],
    }
    event = (
        Event.CHANGES_REQUESTED if signoff.decision == "request_changes" else Event.SIGNOFF_RECORDED
    )
    notify(
        event=event,
        spec=spec,
        version_number=signoff.version.number,
        actor=by,
        recipients=[spec.author],
        context=context,
    )


def version_uploaded(spec: Spec, *, version_number: int, by) -> None:
    """Everyone who signed an earlier version hears that there is something new to look at."""
    signers = SignOff.objects.filter(version__spec=spec, version__number__lt=version_number)
    people = {s.user for s in signers.select_related("user")}
    # Each person's link shows what changed since the version they last looked at or signed.
    seen = dict(
        LastSeen.objects.filter(spec=spec, user__in=people).values_list("user_id", "version_number")
    )
    by_version: dict[int, list] = {}
    for person in people:
        since = min(seen.get(person.pk, version_number - 1), version_number - 1)
        by_version.setdefault(since, []).append(person)
    for since, recipients in sorted(by_version.items()):
        notify(
            event=Event.VERSION_UPLOADED,
            spec=spec,
            version_number=version_number,
            actor=by,
            recipients=recipients,
            context={"diff_from": since},
        )


MENTION = re.compile(r"(?<![\w.@+-])@([\w.@+-]+)")


def mentioned_usernames(body: str) -> set[str]:
    # A mention may end a sentence: "ask @jonas." mentions jonas, not "jonas.".
    return {name.rstrip(".") for name in MENTION.findall(body) if name.rstrip(".")}


def comment_place(comment: Comment) -> dict[str, str]:
    """The section a comment sits in, so its e-mail links straight there."""
    if comment.section:
        titles = {entry["anchor"]: entry["title"] for entry in comment.version.toc or []}
        return {"section": comment.section, "section_title": titles.get(comment.section, "")}
    line = comment.line_start
    # The outline lists sections in document order; the last one holding the line is innermost.
    holding = [
        s
        for s in comment.version.outline or []
        if line and s["start_line"] <= line <= s["end_line"]
    ]
    if not holding:
        return {}
    return {"section": holding[-1]["anchor"], "section_title": holding[-1]["title"]}


def mentioned(spec: Spec, comment: Comment, *, by) -> None:
    """Everyone named as @username who may see the spec (others must not learn it exists)."""
    names = mentioned_usernames(comment.body)
    if not names:
        return
    users = get_user_model().objects.filter(username__in=names, is_active=True)
    people = [user for user in users if permissions.abilities(user, spec).can_view]
    notify(
        event=Event.MENTIONED,
        spec=spec,
        version_number=comment.version.number,
        actor=by,
        recipients=people,
        context={"excerpt": comment.body[:300], "comment": comment.pk, **comment_place(comment)},
    )


def blocking_comment_addressed(spec: Spec, comment: Comment, *, by) -> None:
    notify(
        event=Event.BLOCKING_COMMENT_ADDRESSED,
        spec=spec,
        version_number=spec.current_version.number if spec.current_version else None,
        actor=by,
        recipients=[comment.author],
        context={
            "excerpt": comment.addressed_note[:300] or comment.body[:300],
            "comment": comment.pk,
            **comment_place(comment),
        },
    )
