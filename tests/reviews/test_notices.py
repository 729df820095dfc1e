import pytest

from notifications import actions as outbox_actions
from notifications.events import Event, Mode
from notifications.models import Notification, NotificationPreference, State
from reviews import actions
from specs import actions as spec_actions
from specs.models import Spec
from tests.conftest import RACI_SPEC
from tests.notifications.conftest import DIGEST_TIME, bodies

pytestmark = pytest.mark.django_db


def row_version(spec):
    return Spec.objects.get(pk=spec.pk).row_version


def outbox():
    return {
        (n.event, n.recipient.username) for n in Notification.objects.select_related("recipient")
    }


def test_review_steps_write_outbox_rows_in_the_same_transaction(reviewed_spec, people):
    actions.transition(
        spec=reviewed_spec,
        name="submit",
        by=people["aisha"],
        expected_row_version=row_version(reviewed_spec),
    )
    assert ("review_requested", "sofia") in outbox() and ("review_requested", "priya") in outbox()
    assert ("review_requested", "aisha") not in outbox()  # nobody hears about their own action
    actions.sign_off(
        spec=reviewed_spec,
        area="Security/Privacy",
        role="A",
        decision="request_changes",
        comment="Too long",
        by=people["sofia"],
        expected_version=1,
    )
    assert ("changes_requested", "aisha") in outbox()
    spec_actions.upload_version(
        spec=reviewed_spec, data=(RACI_SPEC + "\nFixed.\n").encode(), uploaded_by=people["aisha"]
    )
    # Sofia's request for changes stands: she hears at once, instead of by digest.
    assert ("new_version_after_veto", "sofia") in outbox()
    assert ("version_uploaded", "sofia") not in outbox()


def test_a_refused_action_writes_no_notification(reviewed_spec, people):
    with pytest.raises(actions.ReviewError):
        actions.transition(
            spec=reviewed_spec,
            name="approve",
            by=people["jonas"],
            expected_row_version=row_version(reviewed_spec),
        )
    assert not Notification.objects.exists()


# --- the notifications people expect, each to a real SMTP server -------------------------------


PARAGRAPH = "Finance exports the ledger for auditors."
LINE = RACI_SPEC.splitlines().index(PARAGRAPH) + 1


def write_comment(spec, by, body="Say which format.", **kw):
    current = Spec.objects.with_current_version().get(pk=spec.pk).current_version
    return actions.add_comment(
        spec=spec,
        by=by,
        body=body,
        expected_version=current.number,
        line_start=LINE,
        line_end=LINE,
        **kw,
    )


def deliver_pending():
    """Send every immediate row over SMTP, as the worker would; what each send said."""
    pending = Notification.objects.filter(state=State.PENDING).order_by("pk")
    return [outbox_actions.deliver(pk) for pk in pending.values_list("pk", flat=True)]


def mail_to(server, username):
    return [
        # Strip: a folded, encoded header comes back with its leading space.
        (m["X-Spec-Review-Event"], m["Subject"].strip())
        for m in server.messages
        if m["To"].endswith(f"<{username}@example.com>")
    ]


def test_a_comment_on_my_spec_reaches_me_but_not_my_own(smtp_server, reviewed_spec, people):
    root = write_comment(reviewed_spec, people["jonas"], body="Which columns?")
    assert deliver_pending() == ["sent"]
    assert mail_to(smtp_server, "aisha") == [
        ("comment_on_my_spec", "Jonas Muller commented on your spec “Ledger export” v1")
    ]
    text, html = bodies(smtp_server.messages[0])
    assert "Which columns?" in text and "/specs/ledger-export/v1/" in html
    actions.reply(spec=reviewed_spec, parent=root, by=people["aisha"], body="Noted for v2.")
    assert deliver_pending() == ["sent"]
    assert len(mail_to(smtp_server, "aisha")) == 1  # her own reply: she does not hear of it
    assert [event for event, _ in mail_to(smtp_server, "jonas")] == ["thread_reply"]


def test_a_reply_reaches_the_thread_but_not_the_replier_and_a_mention_wins(
    smtp_server, reviewed_spec, people
):
    root = write_comment(reviewed_spec, people["jonas"], body="Which columns?")
    actions.reply(spec=reviewed_spec, parent=root, by=people["kenji"], body="Same question.")
    Notification.objects.all().delete()
    actions.reply(spec=reviewed_spec, parent=root, by=people["lukas"], body="Ask @kenji first.")
    assert set(deliver_pending()) == {"sent"}
    assert mail_to(smtp_server, "jonas") == [
        ("thread_reply", "Lukas Novak replied in a thread you are in on “Ledger export” v1")
    ]
    # Kenji replied in the thread and is mentioned: one e-mail, the mention.
    assert [event for event, _ in mail_to(smtp_server, "kenji")] == ["mentioned"]
    assert [event for event, _ in mail_to(smtp_server, "aisha")] == ["comment_on_my_spec"]
    assert mail_to(smtp_server, "lukas") == []
    text, _ = bodies(smtp_server.messages[0])
    assert "/specs/ledger-export/v1/" in text


def test_a_switched_off_event_sends_nothing_and_the_next_reason_does_not_step_in(
    smtp_server, reviewed_spec, people
):
    for event in (Event.COMMENT_ON_MY_SPEC, Event.THREAD_REPLY):
        NotificationPreference.objects.create(user=people["aisha"], event=event, mode=Mode.OFF)
    root = write_comment(reviewed_spec, people["jonas"])
    actions.reply(spec=reviewed_spec, parent=root, by=people["aisha"], body="Will do.")
    actions.reply(spec=reviewed_spec, parent=root, by=people["kenji"], body="+1")
    deliver_pending()
    assert mail_to(smtp_server, "aisha") == []
    assert [event for event, _ in mail_to(smtp_server, "jonas")] == ["thread_reply"] * 2


def test_the_author_hears_when_a_comment_is_resolved_and_re_opened(
    smtp_server, reviewed_spec, people
):
    root = write_comment(reviewed_spec, people["jonas"], body="Which columns?")
    Notification.objects.all().delete()
    actions.resolve(spec=reviewed_spec, comment=root, by=people["jonas"], expected_revision=0)
    # Resolved goes to the digest by default; re-opened asks for work, so it comes at once.
    assert outbox() == {("comment_resolved", "aisha")}
    actions.reopen(spec=reviewed_spec, comment=root, by=people["jonas"], expected_revision=1)
    assert deliver_pending() == ["sent"]
    assert mail_to(smtp_server, "aisha") == [
        ("comment_reopened", "Jonas Muller re-opened a comment on your spec “Ledger export”")
    ]
    digests = outbox_actions.send_daily_digests(DIGEST_TIME)
    assert [outbox_actions.deliver(d.pk) for d in digests] == ["sent"]
    text, _ = bodies(smtp_server.messages[-1])
    assert "Jonas Muller resolved a comment on your spec" in text


def submit(spec, people):
    actions.transition(
        spec=spec, name="submit", by=people["aisha"], expected_row_version=row_version(spec)
    )


def test_a_vetoer_hears_at_once_of_the_new_version_with_the_diff(
    smtp_server, reviewed_spec, people
):
    submit(reviewed_spec, people)
    actions.sign_off(
        spec=reviewed_spec,
        area="Security/Privacy",
        role="A",
        decision="request_changes",
        comment="Mask the account numbers.",
        by=people["sofia"],
        expected_version=1,
    )
    actions.sign_off(
        spec=reviewed_spec,
        area="Engineering",
        role="A",
        decision="approve",
        comment="",
        by=people["jonas"],
        expected_version=1,
    )
    actions.set_area_sections(
        spec=reviewed_spec,
        area="Security/Privacy",
        sections=["Context"],
        by=people["aisha"],
        expected_row_version=row_version(reviewed_spec),
    )
    Notification.objects.all().delete()
    spec_actions.upload_version(
        spec=reviewed_spec, data=(RACI_SPEC + "\nMasked.\n").encode(), uploaded_by=people["aisha"]
    )
    rows = {(n.event, n.recipient.username): n.state for n in Notification.objects.all()}
    assert rows[("new_version_after_veto", "sofia")] == State.PENDING
    assert ("version_uploaded", "sofia") not in rows  # one e-mail, the specific one
    assert rows[("version_uploaded", "jonas")] == State.DIGEST_PENDING
    assert deliver_pending() == ["sent"]
    (message,) = smtp_server.messages
    subject = "Aisha Okafor uploaded v2 of “Ledger export” after your request"
    assert message["Subject"].strip() == subject
    text, _ = bodies(message)
    # The diff opens on the sections her area covers.
    assert "/specs/ledger-export/diff/?from=1&to=2&section=context" in text
    assert "Area: Security/Privacy" in text


def test_a_withdrawn_veto_is_no_reason_for_the_immediate_mail(reviewed_spec, people):
    submit(reviewed_spec, people)
    actions.sign_off(
        spec=reviewed_spec,
        area="Security/Privacy",
        role="A",
        decision="request_changes",
        comment="Mask them.",
        by=people["sofia"],
        expected_version=1,
    )
    actions.withdraw_signoff(
        spec=reviewed_spec,
        area="Security/Privacy",
        role="A",
        by=people["sofia"],
        expected_version=1,
    )
    spec_actions.upload_version(
        spec=reviewed_spec, data=(RACI_SPEC + "\nMasked.\n").encode(), uploaded_by=people["aisha"]
    )
    assert ("new_version_after_veto", "sofia") not in outbox()
    assert ("version_uploaded", "sofia") in outbox()
