"""Comments in the document (issue 11): quotes of selected words, the margin's groups (loaded in
full for the first few, on request for the rest, in a fixed number of queries), steps on a
thread answered with its group, and comments from the diff's new side."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from reviews import actions
from reviews.comments.anchors import quote_in, reanchor
from reviews.comments.threads import FULL_GROUPS
from reviews.models import Comment
from specs import actions as spec_actions
from specs.models import Spec
from tests.conftest import RACI_SPEC

pytestmark = pytest.mark.django_db

PARAGRAPH = "Finance exports the ledger for auditors."
LINE = RACI_SPEC.splitlines().index(PARAGRAPH) + 1
LONG_SPEC = RACI_SPEC + "".join(f"\nParagraph {n} says what limit {n} is.\n" for n in range(40))


def fresh(spec):
    return Spec.objects.with_current_version().get(pk=spec.pk)


def comment(spec, by, body="Which auditors?", *, line=LINE, **kw):
    return actions.add_comment(
        spec=spec,
        by=by,
        body=body,
        expected_version=fresh(spec).current_version.number,
        line_start=line,
        line_end=line,
        **kw,
    )


def htmx_post(client, user, name, data, *args):
    client.force_login(user)
    return client.post(reverse(name, args=args), data, HTTP_HX_REQUEST="true")


# --- quotes ---


def test_quote_matches_words_through_markdown():
    assert quote_in("Finance **exports** the `ledger` for [auditors](x).", "exports the ledger")
    assert not quote_in("Finance exports the ledger.", "the ledger exports")
    assert not quote_in("anything", "")


def test_a_selected_phrase_is_stored_and_shown_and_a_phrase_not_in_the_lines_is_refused(
    client, reviewed_spec, people
):
    c = comment(reviewed_spec, people["jonas"], quote="  the ledger\n for ")
    assert c.quote == "the ledger for" and c.excerpt == PARAGRAPH
    with pytest.raises(actions.ReviewError, match="is not in line 5 of v1"):
        comment(reviewed_spec, people["jonas"], quote="Parquet export")
    assert Comment.objects.count() == 1
    client.force_login(people["jonas"])
    html = client.get(reverse("reviews:spec", args=[reviewed_spec.slug])).content.decode()
    assert 'data-quote="the ledger for"' in html and 'data-anchor-line="5"' in html


def test_a_quote_follows_its_words_when_the_block_around_them_is_rewritten():
    old = ["# T", "", "Finance exports the ledger for auditors.", ""]
    new = ["# T", "", "Nobody reads this; only the ledger for auditors counts now.", ""]
    assert reanchor(old, new, 3, 3, old[2]).outdated
    moved = reanchor(old, new, 3, 3, old[2], quote="the ledger for auditors")
    assert (moved.line_start, moved.outdated) == (3, False)


# --- the margin ---


def test_margin_groups_load_in_full_first_then_on_request_in_the_same_queries(
    client, reviewed_spec, people, django_assert_max_num_queries, django_assert_num_queries
):
    spec_actions.upload_version(
        spec=reviewed_spec, data=LONG_SPEC.encode(), uploaded_by=people["aisha"]
    )
    lines = [n for n, text in enumerate(LONG_SPEC.splitlines(), 1) if text.startswith("Para")]
    url = reverse("reviews:spec", args=[reviewed_spec.slug])
    client.force_login(people["jonas"])
    comment(reviewed_spec, people["jonas"], line=lines[0])
    client.get(url)  # warm the session
    # The page as built for a new state (reviews.page_cache keeps it for the next readers).
    caches["fragments"].clear()
    with django_assert_max_num_queries(100) as few:
        client.get(url)
    for line in lines[: FULL_GROUPS + 8]:
        root = comment(reviewed_spec, people["jonas"], body=f"About {line}", line=line)
        actions.reply(spec=reviewed_spec, parent=root, by=people["aisha"], body="Noted.")
    caches["fragments"].clear()
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count('class="thread-stub') == 8
    last = lines[FULL_GROUPS + 7]
    assert f"About {last}" not in html and f"Show 1 comment on line {last} (1 open)" in html

    group = client.get(
        url, {"partial": "thread-group", "line": last}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert group.lstrip().startswith(f'<div class="thread-group" id="threads-L{last}"')
    assert f"About {last}" in group and "Noted." in group and "<html" not in group


def test_outdated_threads_stay_reachable_in_their_own_group(client, reviewed_spec, people):
    comment(reviewed_spec, people["jonas"], body="About the paragraph")
    spec_actions.upload_version(
        spec=reviewed_spec,
        data=RACI_SPEC.replace(PARAGRAPH, "Something else entirely.").encode(),
        uploaded_by=people["aisha"],
    )
    client.force_login(people["jonas"])
    html = client.get(reverse("reviews:spec", args=[reviewed_spec.slug])).content.decode()
    detached = html[html.index('<details class="detached"') :]
    assert "Outdated or not in v2 (1)" in detached and "About the paragraph" in detached
    assert "outdated: lines removed in v2" in detached


# --- steps in place ---


def test_a_step_on_a_thread_answers_with_its_group_and_the_message_inside_the_thread(
    client, reviewed_spec, people
):
    c = comment(reviewed_spec, people["jonas"])
    slug = reviewed_spec.slug
    response = htmx_post(
        client, people["aisha"], "reviews:reply_comment", {"comment": c.pk, "body": "Ours."}, slug
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<div class="thread-group" id="threads-L{LINE}"')
    thread = body[body.index(f'id="comment-{c.pk}"') :]
    assert thread.index("data-result>Reply added.") < thread.index("</article>")
    assert "refresh-comments" not in response["HX-Trigger"]
    assert "refresh-actions" in response["HX-Trigger"]

    state = {"comment": c.pk, "revision": 0}
    resolved = htmx_post(client, people["jonas"], "reviews:change_comment", state, slug, "resolve")
    assert resolved.status_code == 200 and "Comment resolved." in resolved.content.decode()
    stale = htmx_post(client, people["jonas"], "reviews:change_comment", state, slug, "reopen")
    assert stale.status_code == 409
    assert "data-result>Someone changed that comment" in stale.content.decode()
    assert "Re-open" in stale.content.decode()  # the fresh state, in place


def test_a_refused_new_comment_keeps_what_was_typed(client, reviewed_spec, people):
    data = {"version": 1, "body": "Keep me", "line_start": LINE, "quote": "not there"}
    response = htmx_post(client, people["jonas"], "reviews:add_comment", data, reviewed_spec.slug)
    body = response.content.decode()
    assert response.status_code == 403 and not Comment.objects.exists()
    assert ">Keep me</textarea>" in body and 'value="not there"' in body
    assert 'data-placed="true"' in body and 'id="composer-error"' in body


# --- the diff's new side ---


def test_diff_lines_of_the_version_under_review_take_comments(client, reviewed_spec, people):
    spec_actions.upload_version(
        spec=reviewed_spec,
        data=(RACI_SPEC + "\nNew closing line.\n").encode(),
        uploaded_by=people["aisha"],
    )
    url = reverse("specs:version_diff", args=[reviewed_spec.slug])
    client.force_login(people["jonas"])
    html = client.get(url, {"from": 1, "to": 2}).content.decode()
    assert 'class="line-comment"' in html and 'data-new-line="20"' in html
    assert "?partial=diff-threads" in html
    client.force_login(people["aisha"])  # the author does not start threads
    assert 'class="line-comment"' not in client.get(url, {"from": 1, "to": 2}).content.decode()

    data = {"version": 2, "body": "Why close?", "line_start": 20, "line_end": 20}
    answer = htmx_post(
        client,
        people["jonas"],
        "reviews:add_comment",
        {**data, "panel": "diff-threads"},
        reviewed_spec.slug,
    )
    body = answer.content.decode()
    assert answer.status_code == 200 and body.lstrip().startswith('<div id="diff-threads"')
    assert 'data-anchor-line="20"' in body and "data-result>Comment added." in body
