"""Review comments: who may write and settle them, stale forms, notifications, blocking approval,
and comments that follow the text across versions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from notifications.models import Notification
from reviews import actions
from reviews.comments.anchors import reanchor
from reviews.dashboard.waiting import waiting_on
from reviews.models import Comment, CommentState
from reviews.rules import workflow
from reviews.snapshot import actor_for, load_review
from specs import actions as spec_actions
from specs import permissions
from specs.models import Spec
from tests.conftest import RACI_SPEC

pytestmark = pytest.mark.django_db

PARAGRAPH = "Finance exports the ledger for auditors."
LINE = RACI_SPEC.splitlines().index(PARAGRAPH) + 1


def fresh(spec):
    return Spec.objects.with_current_version().get(pk=spec.pk)


def comment(spec, by, body="Say which format.", *, line=LINE, blocking=False, **kw):
    return actions.add_comment(
        spec=spec,
        by=by,
        body=body,
        expected_version=fresh(spec).current_version.number,
        line_start=line,
        line_end=line,
        blocking=blocking,
        **kw,
    )


def upload(spec, people, text):
    spec_actions.upload_version(spec=spec, data=text.encode(), uploaded_by=people["aisha"])


def outbox():
    return {
        (n.event, n.recipient.username) for n in Notification.objects.select_related("recipient")
    }


def page(client, spec, user, number=None, **params):
    client.force_login(user)
    url = (
        reverse("reviews:spec", args=[spec.slug])
        if number is None
        else reverse("reviews:spec_version", args=[spec.slug, number])
    )
    return client.get(url, params)


# --- actions and rules ---


def test_comment_quotes_its_lines_and_is_audited(reviewed_spec, people):
    c = comment(reviewed_spec, people["jonas"], blocking=True)
    assert (c.line_start, c.line_end, c.excerpt) == (LINE, LINE, PARAGRAPH)
    assert c.state == CommentState.OPEN and c.version.number == 1
    assert AuditEvent.objects.filter(verb="comment.added", target=f"comment:{c.pk}").exists()


def test_lines_outside_the_document_or_unknown_sections_are_refused(reviewed_spec, people):
    with pytest.raises(actions.ReviewError):
        comment(reviewed_spec, people["jonas"], line=999)
    with pytest.raises(actions.ReviewError):
        actions.add_comment(
            spec=reviewed_spec,
            by=people["jonas"],
            body="x",
            expected_version=1,
            section="no-such-heading",
        )
    assert not Comment.objects.exists()


def test_section_comment(reviewed_spec, people):
    anchor = fresh(reviewed_spec).current_version.toc[0]["anchor"]
    c = actions.add_comment(
        spec=reviewed_spec, by=people["jonas"], body="x", expected_version=1, section=anchor
    )
    assert c.section == anchor and c.line_start is None


def test_only_reviewers_start_threads_and_the_author_replies(reviewed_spec, people):
    with pytest.raises(actions.ReviewError):
        comment(reviewed_spec, people["aisha"])  # the author answers, she does not review
    with pytest.raises(actions.ReviewError):
        comment(reviewed_spec, people["priya"])  # Informed: reads only
    root = comment(reviewed_spec, people["jonas"])
    answer = actions.reply(spec=reviewed_spec, parent=root, by=people["aisha"], body="Parquet.")
    assert answer.parent == root
    with pytest.raises(actions.ReviewError):
        actions.reply(spec=reviewed_spec, parent=answer, by=people["jonas"], body="nested")


def test_thread_moves_open_addressed_resolved_and_back(reviewed_spec, people):
    c = comment(reviewed_spec, people["jonas"], blocking=True)
    with pytest.raises(actions.ReviewError):
        actions.mark_addressed(
            spec=reviewed_spec, comment=c, by=people["sofia"], note="", expected_revision=0
        )
    c = actions.mark_addressed(
        spec=reviewed_spec, comment=c, by=people["aisha"], note="See v2", expected_revision=0
    )
    assert c.state == CommentState.ADDRESSED and c.revision == 1
    with pytest.raises(actions.ReviewError):
        actions.resolve(spec=reviewed_spec, comment=c, by=people["aisha"], expected_revision=1)
    c = actions.reopen(spec=reviewed_spec, comment=c, by=people["jonas"], expected_revision=1)
    assert c.state == CommentState.OPEN
    c = actions.resolve(spec=reviewed_spec, comment=c, by=people["jonas"], expected_revision=2)
    assert (c.state, c.resolved_by, c.revision) == (CommentState.RESOLVED, people["jonas"], 3)
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"comment.addressed", "comment.reopened", "comment.resolved"} <= verbs


def test_a_site_administrator_may_resolve(reviewed_spec, people, make_user):
    c = comment(reviewed_spec, people["jonas"])
    admin = make_user("admin", is_staff=True)
    c = actions.resolve(spec=reviewed_spec, comment=c, by=admin, expected_revision=0)
    assert c.state == CommentState.RESOLVED


def test_stale_revision_is_refused(reviewed_spec, people):
    c = comment(reviewed_spec, people["jonas"])
    actions.resolve(spec=reviewed_spec, comment=c, by=people["jonas"], expected_revision=0)
    with pytest.raises(actions.StaleForm):
        actions.reopen(spec=reviewed_spec, comment=c, by=people["jonas"], expected_revision=0)


def submit(spec, people):
    actions.transition(
        spec=spec, name="submit", by=people["aisha"], expected_row_version=fresh(spec).row_version
    )


def test_blocking_comment_blocks_approval_until_resolved(reviewed_spec, people):
    submit(reviewed_spec, people)
    c = comment(reviewed_spec, people["jonas"], blocking=True)
    comment(reviewed_spec, people["jonas"], body="a nit")  # not blocking: does not count

    def reasons():
        review = load_review(fresh(reviewed_spec))
        assert review.snapshot.open_blocking_comments == (
            0 if Comment.objects.get(pk=c.pk).state == CommentState.RESOLVED else 1
        )
        actor = actor_for(
            people["sofia"], review.spec, permissions.abilities(people["sofia"], review.spec)
        )
        check = {t.name: t for t in workflow.evaluate(review.snapshot, actor)}["approve"]
        return check.reasons

    assert "1 blocking comment is open" in reasons()
    c = actions.mark_addressed(
        spec=reviewed_spec, comment=c, by=people["aisha"], note="done", expected_revision=0
    )
    assert "1 blocking comment is open" in reasons()  # addressed is not settled
    actions.resolve(spec=reviewed_spec, comment=c, by=people["jonas"], expected_revision=1)
    assert "1 blocking comment is open" not in reasons()


def test_mentions_and_addressed_blocking_comments_notify(reviewed_spec, people):
    c = comment(
        reviewed_spec, people["jonas"], body="Ask @sofia. And @outsider, @nobody.", blocking=True
    )
    assert ("mentioned", "sofia") in outbox()
    assert ("mentioned", "outsider") not in outbox()  # may not see the spec: not told it exists
    actions.mark_addressed(
        spec=reviewed_spec, comment=c, by=people["aisha"], note="v2 says", expected_revision=0
    )
    assert ("blocking_comment_addressed", "jonas") in outbox()


# --- following the text across versions ---


def test_reanchor_pure():
    old = ["a", "b", "c", "d"]
    assert reanchor(old, ["x", *old], 2, 3, "b\nc").line_start == 3
    assert reanchor(old, ["c", "d", "a", "b"], 1, 2, "a\nb").line_start == 3  # moved block
    assert reanchor(old, ["a", "d"], 2, 3, "b\nc").outdated


def test_comments_follow_moved_text_and_deleted_text_is_outdated(client, reviewed_spec, people):
    moved = comment(reviewed_spec, people["jonas"], body="about the paragraph")
    heading = comment(reviewed_spec, people["jonas"], body="about the title", line=1)
    rest = RACI_SPEC.replace(f"{PARAGRAPH}\n", "").replace("# Ledger export\n", "")
    upload(reviewed_spec, people, f"# Ledger\n\nIntro.\n\n{rest}\n{PARAGRAPH}\n")
    v2 = fresh(reviewed_spec).current_version.source.splitlines()
    html = page(client, reviewed_spec, people["jonas"]).content.decode()
    new_line = v2.index(PARAGRAPH) + 1
    assert f'data-line="{new_line}"' in html and f"(was line {LINE} in v1)" in html
    assert "outdated: lines removed in v2" in html
    assert "about the title" in html and "about the paragraph" in html
    assert Comment.objects.filter(pk__in=[moved.pk, heading.pk]).count() == 2


def test_mine_filter_and_body_is_escaped(client, reviewed_spec, people):
    comment(reviewed_spec, people["jonas"], body="<script>alert(1)</script> mine")
    comment(reviewed_spec, people["kenji"], body="kenji's")
    html = page(client, reviewed_spec, people["jonas"], comments="mine").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; mine" in html and "<script>alert" not in html
    assert "kenji&#x27;s" not in html and "1 open comment to work through" in html


# --- views ---


def post(client, user, name, data, *args, htmx=True):
    client.force_login(user)
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse(name, args=args), data, **extra)


def test_comment_views_answer_panel_403_404_409_422(client, reviewed_spec, people):
    slug = reviewed_spec.slug
    data = {"version": 1, "body": "Why?", "line_start": LINE, "line_end": LINE, "blocking": "on"}
    response = post(client, people["jonas"], "reviews:add_comment", data, slug)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="comments-panel"')
    assert "refresh-actions" in response["HX-Trigger"]
    assert post(client, people["priya"], "reviews:add_comment", data, slug).status_code == 403
    assert post(client, people["outsider"], "reviews:add_comment", data, slug).status_code == 404
    assert (
        post(client, people["jonas"], "reviews:add_comment", {"version": 1}, slug).status_code
        == 422
    )
    assert (
        post(
            client, people["jonas"], "reviews:add_comment", {**data, "version": 9}, slug
        ).status_code
        == 409
    )
    c = Comment.objects.get()
    state = {"comment": c.pk, "revision": 0, "note": "fixed"}
    assert (
        post(client, people["jonas"], "reviews:change_comment", state, slug, "address").status_code
        == 403
    )
    assert (
        post(client, people["aisha"], "reviews:change_comment", state, slug, "address").status_code
        == 200
    )
    assert (
        post(client, people["jonas"], "reviews:change_comment", state, slug, "resolve").status_code
        == 409
    )
    assert (
        post(
            client,
            people["outsider"],
            "reviews:reply_comment",
            {"comment": c.pk, "body": "x"},
            slug,
        ).status_code
        == 404
    )
    assert (
        post(
            client, people["priya"], "reviews:reply_comment", {"comment": c.pk, "body": "x"}, slug
        ).status_code
        == 403
    )
    response = post(
        client,
        people["aisha"],
        "reviews:reply_comment",
        {"comment": c.pk, "body": "ok"},
        slug,
        htmx=False,
    )
    assert response.status_code == 302
    assert (
        post(client, people["jonas"], "reviews:change_comment", state, slug, "explode").status_code
        == 404
    )


def test_action_bar_gives_the_blocking_comment_as_a_reason(client, reviewed_spec, people):
    comment(reviewed_spec, people["jonas"], blocking=True)
    actions.transition(
        spec=reviewed_spec,
        name="submit",
        by=people["aisha"],
        expected_row_version=fresh(reviewed_spec).row_version,
    )
    assert (
        "1 blocking comment is open"
        in page(client, reviewed_spec, people["sofia"]).content.decode()
    )


def test_waiting_on_me_lists_blocking_comments_to_address_and_to_verify(reviewed_spec, people):
    actions.transition(
        spec=reviewed_spec,
        name="submit",
        by=people["aisha"],
        expected_row_version=fresh(reviewed_spec).row_version,
    )
    c = comment(reviewed_spec, people["jonas"], blocking=True)

    def tasks(name):
        now = timezone.now() + datetime.timedelta(minutes=1)
        user = people[name]
        return {i.task for i in waiting_on(user, {}, now)}

    assert "Address 1 open blocking comment" in tasks("aisha")
    actions.mark_addressed(
        spec=reviewed_spec, comment=c, by=people["aisha"], note="done", expected_revision=0
    )
    assert "Address 1 open blocking comment" not in tasks("aisha")
    assert "Verify 1 blocking comment marked addressed, then resolve or reopen" in tasks("jonas")
    actions.resolve(spec=reviewed_spec, comment=c, by=people["jonas"], expected_revision=1)
    assert not any("blocking" in t for t in tasks("jonas") | tasks("aisha"))


def test_comment_e_mails_link_to_the_section_the_comment_sits_in(reviewed_spec, people):
    comment(reviewed_spec, people["jonas"], body="Ask @sofia.", line=5)
    mention = Notification.objects.get(event="mentioned", recipient=people["sofia"])
    assert mention.context["section"] == "spec-context"  # line 5 is under "## Context"
    assert mention.context["section_title"] == "Context"
