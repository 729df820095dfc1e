"""Every event's e-mail, sent over real SMTP: parts, deep links, headers and unsubscribe."""

import re

import pytest
from django.test import Client

from notifications import actions
from notifications.events import Event, Mode
from notifications.models import NotificationPreference, State
from specs.models import SpecUserObjectPermission
from tests.notifications.conftest import DIGEST_TIME, bodies

pytestmark = pytest.mark.django_db

SITE = "https://review.example.com"


def send_now(event, spec, people, *, context=None, number=2):
    NotificationPreference.objects.update_or_create(
        user=people.reviewer, event=event, defaults={"mode": Mode.IMMEDIATE}
    )
    rows = actions.notify(
        event=event,
        spec=spec,
        version_number=number,
        actor=people.author,
        recipients=[people.reviewer],
        context=context or {},
    )
    outcome = actions.deliver(rows[0].pk)
    rows[0].refresh_from_db()
    assert (len(rows), outcome) == (1, "sent"), rows[0].last_error
    return rows[0]


def test_every_event_arrives_with_text_and_html_and_a_link_to_the_exact_version(
    smtp_server, spec, people
):
    for event in Event:
        send_now(event, spec, people, context={"excerpt": f"About {event.value}"})

    assert len(smtp_server.messages) == len(Event)
    version_link = f"{SITE}/specs/payments-retry/v2/"
    for event, message in zip(Event, smtp_server.messages, strict=True):
        text, html = bodies(message)
        assert message["X-Spec-Review-Event"] == event.value
        assert message["To"] == "Ravi Menon <ravi@example.com>"
        assert "Payments Retry" in message["Subject"]
        assert version_link in text and f'href="{version_link}"' in html
        assert f"About {event.value}" in text and f"About {event.value}" in html
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["Auto-Submitted"] == "auto-generated"


def test_a_new_version_links_to_the_diff_and_a_comment_to_its_section(smtp_server, spec, people):
    send_now(Event.VERSION_UPLOADED, spec, people)
    send_now(
        Event.MENTIONED, spec, people, context={"section": "context", "section_title": "Context"}
    )
    uploaded, mentioned = (bodies(message) for message in smtp_server.messages)
    assert f"{SITE}/specs/payments-retry/diff/?from=1&amp;to=2" in uploaded[1]
    assert f"What changed: {SITE}/specs/payments-retry/diff/?from=1&to=2" in uploaded[0]
    assert f"{SITE}/specs/payments-retry/v2/#spec-context" in mentioned[0]
    assert "Section: Context" in mentioned[0]


def test_user_text_is_escaped_in_the_html_part(smtp_server, spec, people):
    send_now(Event.MENTIONED, spec, people, context={"excerpt": "<script>alert(1)</script>"})
    text, html = bodies(smtp_server.messages[0])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<script>alert(1)</script>" in text


def test_each_notification_has_its_own_stable_message_id(smtp_server, spec, people):
    first = send_now(Event.REVIEW_REQUESTED, spec, people)
    send_now(Event.MENTIONED, spec, people)
    ids = [message["Message-ID"] for message in smtp_server.messages]
    assert ids[0] == f"<notification-{first.uuid}@localhost>" and ids[0] != ids[1]


def unsubscribe_path(message) -> str:
    header = message["List-Unsubscribe"].strip()  # a long header arrives folded
    match = re.fullmatch(rf"<{re.escape(SITE)}(/notifications/unsubscribe/[^/]+/)>", header)
    assert match, header
    assert f"{SITE}{match[1]}" in bodies(message)[0]  # the same link in the text part
    return match[1]


def test_unsubscribe_link_confirms_on_get_and_switches_off_on_post_without_login(
    smtp_server, spec, people
):
    send_now(Event.REVIEW_REQUESTED, spec, people)
    path = unsubscribe_path(smtp_server.messages[0])
    anonymous = Client(enforce_csrf_checks=True)

    page = anonymous.get(path)
    assert page.status_code == 200 and b"Unsubscribe</button>" in page.content
    assert (
        NotificationPreference.objects.modes_of(people.reviewer)[Event.REVIEW_REQUESTED]
        == Mode.IMMEDIATE
    )

    # RFC 8058: the mail provider POSTs exactly this body, with no cookie and no CSRF token.
    done = anonymous.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert done.status_code == 200 and b"Unsubscribed" in done.content
    modes = NotificationPreference.objects.modes_of(people.reviewer)
    assert modes[Event.REVIEW_REQUESTED] == Mode.OFF
    assert modes[Event.MENTIONED] == Mode.IMMEDIATE  # only that event
    assert (
        actions.notify(
            event=Event.REVIEW_REQUESTED,
            spec=spec,
            version_number=1,
            actor=people.author,
            recipients=[people.reviewer],
            context={},
        )
        == []
    )


def test_a_pending_email_is_not_sent_after_its_event_was_switched_off(smtp_server, spec, people):
    rows = actions.notify(
        event=Event.MENTIONED,
        spec=spec,
        version_number=2,
        actor=people.author,
        recipients=[people.reviewer],
        context={},
    )
    actions.unsubscribe(user=people.reviewer, event=Event.MENTIONED)
    assert actions.deliver(rows[0].pk) == "skipped"
    assert smtp_server.messages == []


def test_someone_who_lost_access_to_the_spec_gets_nothing(smtp_server, spec, people):
    immediate, digested = (
        actions.notify(
            event=event, spec=spec, version_number=2, actor=people.author,
            recipients=[people.reviewer], context={},
        )[0]
        for event in (Event.MENTIONED, Event.VERSION_UPLOADED)
    )  # fmt: skip
    SpecUserObjectPermission.objects.filter(user=people.reviewer).delete()
    assert actions.deliver(immediate.pk) == "skipped"
    assert actions.send_daily_digests(DIGEST_TIME) == []
    digested.refresh_from_db()
    assert digested.state == State.SKIPPED
    assert smtp_server.messages == []


def test_a_tampered_unsubscribe_token_is_refused(client, smtp_server, spec, people):
    send_now(Event.REVIEW_REQUESTED, spec, people)
    path = unsubscribe_path(smtp_server.messages[0])
    forged = path.replace("/unsubscribe/", "/unsubscribe/x")
    assert client.post(forged).status_code == 400
    assert NotificationPreference.objects.filter(mode=Mode.OFF).count() == 0


def test_digest_is_one_email_per_person_grouped_by_spec(smtp_server, make_spec, people):
    first, second = make_spec("payments-retry"), make_spec("audit-export")
    for spec, event in [
        (first, Event.VERSION_UPLOADED),
        (second, Event.SIGNOFF_RECORDED),
        (first, Event.SIGNOFF_RECORDED),
    ]:
        actions.notify(
            event=event,
            spec=spec,
            version_number=2,
            actor=people.author,
            recipients=[people.reviewer, people.approver],
            context={},
        )
    digests = actions.send_daily_digests(DIGEST_TIME)
    assert [actions.deliver(digest.pk) for digest in digests] == ["sent", "sent"]

    assert sorted(message["To"] for message in smtp_server.messages) == [
        "Mei Lin <mei@example.com>",
        "Ravi Menon <ravi@example.com>",
    ]
    text, html = bodies(smtp_server.messages[0])
    assert smtp_server.messages[0]["Subject"] == "Daily digest: 3 updates on 2 specs"
    assert text.count("== Payments Retry ==") == 1 and text.count("== Audit Export ==") == 1
    assert text.index("== Audit Export ==") < text.index("== Payments Retry ==")
    assert f"{SITE}/specs/audit-export/v2/" in html
    assert all(item.state == State.SENT for item in digests[0].items.all())

    # The digest's own unsubscribe link switches off every event received by digest.
    Client().post(unsubscribe_path(smtp_server.messages[0]))
    recipient = digests[0].recipient
    modes = NotificationPreference.objects.modes_of(recipient)
    assert modes[Event.VERSION_UPLOADED] == modes[Event.SIGNOFF_RECORDED] == Mode.OFF
    assert modes[Event.REVIEW_REQUESTED] == Mode.IMMEDIATE
