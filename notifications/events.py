"""What can happen to a spec that somebody should hear about, and how loudly by default.

Pure values, no models: other apps pass `Event.REVIEW_REQUESTED` (or its string value) to
`notifications.actions.notify`, and the preferences page lists exactly these.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Event(models.TextChoices):
    REVIEW_REQUESTED = "review_requested", "Review requested"
    VERSION_UPLOADED = "version_uploaded", "New version uploaded"
    SIGNOFF_RECORDED = "signoff_recorded", "Sign-off recorded"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    MENTIONED = "mentioned", "You were mentioned"
    BLOCKING_COMMENT_ADDRESSED = "blocking_comment_addressed", "Blocking comment addressed"
    SPEC_APPROVED = "spec_approved", "Spec approved"
    SPEC_REJECTED = "spec_rejected", "Spec rejected"
    SPEC_WITHDRAWN = "spec_withdrawn", "Spec withdrawn"
    DUE_SOON = "due_soon", "Review due soon"
    COMMENT_ON_MY_SPEC = "comment_on_my_spec", "New comment on my spec"
    THREAD_REPLY = "thread_reply", "Reply in a thread I wrote or replied to"
    COMMENT_RESOLVED = "comment_resolved", "Comment on my spec resolved"
    COMMENT_REOPENED = "comment_reopened", "Comment on my spec re-opened"
    NEW_VERSION_AFTER_VETO = "new_version_after_veto", "New version after I requested changes"
    REVIEW_OVERDUE = "review_overdue", "My review is overdue"
    REVIEW_ESCALATED = "review_escalated", "An overdue review in my area"


class Mode(models.TextChoices):
    IMMEDIATE = "immediate", "At once"
    DIGEST = "digest", "Daily digest"
    OFF = "off", "Off"


# Not an event anyone subscribes to: the outbox row of one daily digest e-mail. Its unsubscribe
# link switches off every event the person currently receives by digest.
DIGEST = "digest"


@dataclass(frozen=True)
class EventInfo:
    default_mode: Mode
    # One sentence, formatted with actor, spec, version and the notification's context.
    headline: str
    # What the reader is asked to do, shown under the headline; empty when nothing is asked.
    call_to_action: str = ""


EVENTS: dict[Event, EventInfo] = {
    Event.REVIEW_REQUESTED: EventInfo(
        Mode.IMMEDIATE,
        "{actor} asked you to review “{spec}” v{version}",
        "Open the version and record your sign-off.",
    ),
    Event.VERSION_UPLOADED: EventInfo(
        Mode.DIGEST,
        "{actor} uploaded version {version} of “{spec}”",
        "Earlier sign-offs are stale: check what changed.",
    ),
    Event.SIGNOFF_RECORDED: EventInfo(
        Mode.DIGEST, "{actor} recorded a sign-off on “{spec}” v{version}"
    ),
    Event.CHANGES_REQUESTED: EventInfo(
        Mode.IMMEDIATE,
        "{actor} requested changes to “{spec}” v{version}",
        "Address the requested changes and upload a new version.",
    ),
    Event.MENTIONED: EventInfo(Mode.IMMEDIATE, "{actor} mentioned you on “{spec}” v{version}"),
    Event.BLOCKING_COMMENT_ADDRESSED: EventInfo(
        Mode.IMMEDIATE,
        "{actor} addressed your blocking comment on “{spec}” v{version}",
        "Check the answer and resolve the comment if it is settled.",
    ),
    Event.SPEC_APPROVED: EventInfo(Mode.IMMEDIATE, "“{spec}” was approved at v{version}"),
    Event.SPEC_REJECTED: EventInfo(Mode.IMMEDIATE, "{actor} rejected “{spec}” v{version}"),
    Event.SPEC_WITHDRAWN: EventInfo(Mode.DIGEST, "{actor} withdrew “{spec}”"),
    Event.DUE_SOON: EventInfo(
        Mode.IMMEDIATE,
        "Your review of “{spec}” v{version} is due soon",
        "Record your sign-off before the due date.",
    ),
    Event.COMMENT_ON_MY_SPEC: EventInfo(
        Mode.IMMEDIATE,
        "{actor} commented on your spec “{spec}” v{version}",
        "Answer it, or mark it addressed when the spec deals with it.",
    ),
    Event.THREAD_REPLY: EventInfo(
        Mode.IMMEDIATE, "{actor} replied in a thread you are in on “{spec}” v{version}"
    ),
    Event.COMMENT_RESOLVED: EventInfo(
        Mode.DIGEST, "{actor} resolved a comment on your spec “{spec}”"
    ),
    Event.COMMENT_REOPENED: EventInfo(
        Mode.IMMEDIATE,
        "{actor} re-opened a comment on your spec “{spec}”",
        "The comment is open again: read why and answer it.",
    ),
    # At once, never by digest: the one person the new version was made for.
    Event.NEW_VERSION_AFTER_VETO: EventInfo(
        Mode.IMMEDIATE,
        "{actor} uploaded v{version} of “{spec}” after your request",
        "Check the changes to your sections, then sign again or withdraw your objection.",
    ),
    Event.REVIEW_OVERDUE: EventInfo(
        Mode.IMMEDIATE,
        "Your review of “{spec}” v{version} is overdue",
        "Record your sign-off, or tell the author why it is taking longer.",
    ),
    Event.REVIEW_ESCALATED: EventInfo(
        Mode.IMMEDIATE,
        "A review of “{spec}” v{version} in your area is overdue",
        "You are Accountable for the area: help the reviewer finish or reassign the review.",
    ),
}


def default_mode(event: str) -> Mode:
    return EVENTS[Event(event)].default_mode


def headline(event: str, *, actor: str, spec: str, version: int | None) -> str:
    return EVENTS[Event(event)].headline.format(
        actor=actor or "Spec Review", spec=spec, version=version or "?"
    )
