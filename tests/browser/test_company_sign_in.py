"""Sign in with the company's identity in Chromium: the app's login page, the local provider's
own login form (tests/accounts/oidc_provider), back to the dashboard as the matched person."""

import pytest

from tests.accounts.oidc_provider import CALLBACK_PATH, PROVIDER_NAME
from tests.accounts.oidc_provider.people import ADA
from tests.browser.test_accessibility import serious_violations, sideways

pytestmark = pytest.mark.browser


@pytest.fixture
def provider(company_sign_in, live_server):
    company_sign_in.allow_redirect_uri(f"{live_server.url}{CALLBACK_PATH}")
    return company_sign_in


def test_a_person_signs_in_with_the_company_provider(page, provider, make_user, live_server):
    make_user("ada", email="ada.lovelace@example.com", first_name="A.", last_name="King")

    page.goto("/")
    assert "/accounts/login/" in page.url  # login is required by default
    assert serious_violations(page) == []
    page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()

    page.wait_for_url(f"{provider.issuer.removesuffix('/o')}/login/**")
    page.get_by_label("Directory username").fill(ADA.username)
    page.get_by_label("Directory password").fill(ADA.password)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Dashboard", exact=True).is_visible()
    # Matched by e-mail (the directory spells it in capitals); the name follows the directory.
    assert page.locator(".nav-user .who").inner_text() == "Ada Lovelace"
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_with_passwords_off_the_login_page_offers_only_the_provider(page, provider, settings):
    settings.LOCAL_PASSWORDS = False
    page.goto("/accounts/login/")
    assert page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").is_visible()
    assert page.get_by_label("Password").count() == 0
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    assert sideways(page) == 0
    # The link has the focus, so Enter alone starts the sign-in.
    page.keyboard.press("Enter")
    page.wait_for_url(f"{provider.issuer.removesuffix('/o')}/login/**")
