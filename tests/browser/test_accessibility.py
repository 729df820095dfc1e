"""Every page, as the author and as a reviewer: axe-core finds nothing serious or critical, and
the page never scrolls sideways on a phone (375 px) or at 400 % zoom (1280 / 4 = 320 CSS px).

axe-core is vendored for the tests only (tests/browser/vendor/axe-core, from `npm pack
axe-core@4.14.1`); it is evaluated through the DevTools protocol, so the app's CSP stays strict.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
PASSWORD = "review-demo-2026"
NO_DIAGRAM = "bulk-invoice-import"  # in review, author priya, task lists and tables
WITH_DIAGRAM = "webhook-delivery-v2"  # in review, author lukas, mermaid diagrams
PAGES = [
    "/",
    f"/specs/{NO_DIAGRAM}/",
    f"/specs/{WITH_DIAGRAM}/",
    f"/specs/{NO_DIAGRAM}/upload/",
    f"/specs/{NO_DIAGRAM}/diff/",
    f"/specs/{NO_DIAGRAM}/v1/source/",
    "/decisions/",
    "/dashboard/trends/",
    "/notifications/preferences/",
    "/accounts/password/",
    "/search/?q=invoice",
]
ADMIN_PAGES = ["/profiles/", "/notifications/admin/"]
WIDTHS = (1280, 375, 320)


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # pytest-django runs with DEBUG off; seed_demo is for development
    call_command("seed_demo", "--password", PASSWORD, stdout=StringIO())


def signed_in(browser, live_server, username, width=1280):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    if username:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
    return context, page


def serious_violations(page) -> list[str]:
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(AXE)
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ["violations"]});
          return r.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.impact} ${v.id}: ` +
              v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
        }"""
    )
    return result


def sideways(page) -> int:
    """How many CSS pixels the page scrolls sideways (0 when it does not)."""
    return page.evaluate(
        "() => Math.max(0, document.scrollingElement.scrollWidth - window.innerWidth)"
    )


def audit(browser, live_server, username, pages):
    problems = []
    for width in WIDTHS:
        context, page = signed_in(browser, live_server, username, width)
        for path in pages:
            page.goto(path)
            # Parts that load themselves (the upload page's preview) are audited too.
            page.wait_for_load_state("networkidle")
            if width == 1280:
                for violation in serious_violations(page):
                    problems.append(f"{username} {width}px {path}: {violation}")
            if over := sideways(page):
                problems.append(f"{username} {width}px {path}: scrolls sideways by {over}px")
        context.close()
    return problems


@pytest.mark.parametrize("username", ["priya", "jonas"])  # the author, a reviewer
def test_every_page_passes_axe_and_fits_a_phone(browser, live_server, demo, username):
    problems = audit(browser, live_server, username, PAGES)
    assert not problems, "\n".join(problems)


def test_admin_pages_and_login_pass_axe_and_fit_a_phone(browser, live_server, demo):
    problems = audit(browser, live_server, "admin", ADMIN_PAGES)
    problems += audit(browser, live_server, None, ["/accounts/login/"])
    assert not problems, "\n".join(problems)


def test_dark_mode_and_reduced_motion_pass_axe(browser, live_server, demo):
    context, page = signed_in(browser, live_server, "jonas")
    page.emulate_media(color_scheme="dark", reduced_motion="reduce")
    problems = []
    for path in PAGES:
        page.goto(path)
        background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert background != "rgb(251, 251, 250)", "dark mode should change the paper colour"
        problems += [f"dark {path}: {v}" for v in serious_violations(page)]
    context.close()
    assert not problems, "\n".join(problems)
