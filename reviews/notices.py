"""Who hears about what: the review side's calls into the notification outbox.

Called inside the action's transaction, so the outbox rows commit (or roll back) with the change.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model

from notifications.actions import notify, notify_first
from notifications.events import Event
from reviews.models import Comment, LastSeen, RaciAssignment, SignOff
from reviews.rules.workflow import VETOES
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
    """Everyone who signed an earlier version hears that there is something new to look at;
    whoever's veto stands (changes requested, concerns) hears at once, with the diff of their
    own sections, since the new version is the answer they were waiting for."""
    vetoers = _vetoes_on(spec, version_number - 1)
    signers = SignOff.objects.filter(version__spec=spec, version__number__lt=version_number)
    people = {s.user for s in signers.select_related("user") if s.user_id not in vetoers}
    for areas in vetoers.values():
        notify(
            event=Event.NEW_VERSION_AFTER_VETO,
            spec=spec,
            version_number=version_number,
            actor=by,
            recipients=[areas[0].user],
            context={
                "diff_from": version_number - 1,
                "area": ", ".join(sorted({a.area for a in areas})),
                "diff_sections": _sections_of(spec, [a.area for a in areas]),
            },
        )
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


def _vetoes_on(spec: Spec, number: int) -> dict[int, list[SignOff]]:
    """Standing vetoes on a version, by person (the author's own slots never count)."""
    vetoes: dict[int, list[SignOff]] = {}
    standing = (
        SignOff.objects.current()
        .filter(version__spec=spec, version__number=number, decision__in=[v.value for v in VETOES])
        .exclude(user=spec.author)
        .select_related("user")
    )
    for signoff in standing:
        vetoes.setdefault(signoff.user_id, []).append(signoff)
    return vetoes


def _sections_of(spec: Spec, areas: list[str]) -> list[str]:
    """The section keys the areas cover (the diff's ?section= filter); [] for the whole spec."""
    from reviews.actions.carrying import area_sections  # actions import this module

    scopes = area_sections(spec)
    keys: set[str] = set()
    for area in areas:
        scope = scopes.get(area)
        if not scope:
            return []
        keys.update(scope)
    return sorted(keys)


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


def comment_written(spec: Spec, comment: Comment, *, by) -> None:
    """A new comment or reply: one e-mail per person, the most specific reason first.

    @mention (only people who may see the spec: others must not learn it exists), then a reply
    in a thread the person wrote or replied to, then a comment on the person's own spec.
    """
    context = {"excerpt": comment.body[:300], "comment": comment.pk, **comment_place(comment)}
    thread: list = []
    if comment.parent_id is not None:
        root = comment.parent
        assert root is not None
        repliers = Comment.objects.filter(parent=root).exclude(pk=comment.pk)
        thread = [root.author, *(c.author for c in repliers.select_related("author"))]
        context = {**comment_place(root), **context, "comment": root.pk}
    notify_first(
        spec=spec,
        version_number=comment.version.number,
        actor=by,
        choices=[
            (Event.MENTIONED, _mentioned_people(spec, comment.body), context),
            (Event.THREAD_REPLY, thread, context),
            (Event.COMMENT_ON_MY_SPEC, [spec.author], context),
        ],
    )


def _mentioned_people(spec: Spec, body: str) -> list:
    names = mentioned_usernames(body)
    if not names:
        return []
    users = get_user_model().objects.filter(username__in=names, is_active=True)
    return [user for user in users if permissions.abilities(user, spec).can_view]


def comment_settled(spec: Spec, comment: Comment, *, by, reopened: bool) -> None:
    """The spec's author hears when a commenter resolves a thread, or re-opens it."""
    notify(
        event=Event.COMMENT_REOPENED if reopened else Event.COMMENT_RESOLVED,
        spec=spec,
        version_number=spec.current_version.number if spec.current_version else None,
        actor=by,
        recipients=[spec.author],
        context={
            "excerpt": comment.body[:300],
            "comment": comment.pk,
            "revision": comment.revision,
            **comment_place(comment),
        },
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
