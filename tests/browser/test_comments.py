import pytest

from reviews import actions
from reviews.models import Comment
from specs.models import Spec

pytestmark = pytest.mark.browser

PASSWORD = "a long enough secret"


def test_a_reviewer_comments_on_a_clicked_block_and_it_blocks_approval(page, reviewed_spec, people):
    jonas = people["jonas"]
    jonas.set_password(PASSWORD)
    jonas.save()
    actions.transition(
        spec=reviewed_spec,
        name="submit",
        by=people["aisha"],
        expected_row_version=Spec.objects.get(pk=reviewed_spec.pk).row_version,
    )
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("jonas")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    page.goto(f"/specs/{reviewed_spec.slug}/")

    page.locator(".rendered p", has_text="Finance exports the ledger").click()
    assert page.locator("#comment-line-start").input_value() == "5"
    page.get_by_label("Comment (plain text; @username notifies)").fill(
        "Which auditors? @sofia please check."
    )
    page.get_by_label("Blocking: approval waits until I resolve it").check()
    page.get_by_role("button", name="Add comment").click()
    page.locator("#comments-panel .thread", has_text="Which auditors?").wait_for()

    comment = Comment.objects.get()
    assert (comment.line_start, comment.blocking, comment.author) == (5, True, jonas)
    # The action bar refreshed itself and now names the blocking comment.
    page.locator("#actions-panel", has_text="blocking comment").wait_for()
