import pytest

pytestmark = pytest.mark.browser


def test_person_signs_in_and_out_in_chromium(page, make_user):
    make_user("mei", password="a long enough secret", first_name="Mei", last_name="Chen")

    page.goto("/")
    assert "/accounts/login/" in page.url  # login is required by default

    page.get_by_label("Username").fill("mei")
    page.get_by_label("Password").fill("a long enough secret")
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/")
    assert page.get_by_role("heading", name="Dashboard", exact=True).is_visible()
    assert page.locator(".nav-user .who").inner_text() == "Mei Chen"
    # htmx is served from our own origin and loaded without CSP violations.
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("htmx.config.allowEval") is False
    assert not [e for e in page.console_errors if "Content Security Policy" in e]

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    page.goto("/")
    assert "/accounts/login/" in page.url


def test_wrong_password_is_refused_in_chromium(page, make_user):
    make_user("jonas", password="a long enough secret")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("jonas")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").is_visible()
    assert "/accounts/login/" in page.url
