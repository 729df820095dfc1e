import pytest

CHROMIUM = "/usr/bin/chromium"
# Chromium on a machine with no outside network: keep it from dialling out at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = console_errors
    yield page
    context.close()


DEMO_PASSWORD = "review-demo-2026"


@pytest.fixture
def signed_in(browser, live_server):
    """Opens a page signed in as a person, each in a browser context of its own (their own
    cookies), at a chosen width; the contexts close after the test."""
    contexts = []

    def open_as(username, *, password=DEMO_PASSWORD, width=1280, height=900):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
        return page

    yield open_as
    for context in contexts:
        context.close()


# The local OpenID Connect provider (tests/accounts/oidc_provider) for the company sign-in.
from tests.accounts.oidc_provider import company_sign_in, oidc_provider  # noqa: E402

__all__ = ["company_sign_in", "oidc_provider"]
