import pytest

pytestmark = pytest.mark.browser

BROKEN = """# Payments retry

## Context

Retries declined card payments TODO with backoff.

## Plan

See [the rollout](#rollout-plan) for details.
"""


def test_findings_sit_beside_the_spec_and_jump_to_their_block(page, make_user, make_spec):
    author = make_user("aisha", password="a long enough secret")
    make_spec("payments-retry", data=BROKEN.encode(), owner=author)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("aisha")
    page.get_by_label("Password").fill("a long enough secret")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    page.goto("/specs/payments-retry/")

    panel = page.locator("#lint-panel")
    assert panel.get_by_text("broken-anchor").is_visible()
    assert panel.get_by_text("§ Plan").is_visible()  # grouped by rule, each with its section
    panel.locator("a.finding-jump", has_text="line 9").click()
    target = page.locator(".rendered .jump-target")
    target.wait_for()
    assert target.get_attribute("data-source-line") == "9"
    assert "See" in target.inner_text()

    with page.expect_navigation():
        panel.locator("a", has_text="in source").first.click()
    assert page.url.endswith("#L5") or page.url.endswith("#L9")
    assert page.locator("tr:target").is_visible()
