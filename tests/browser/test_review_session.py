"""The review session in Chromium (issue 11): its weight and live updates."""

from io import StringIO

import pytest
from django.core.management import call_command

from specs.models import Spec

pytestmark = pytest.mark.browser

PASSWORD = "review-demo-2026"
NO_DIAGRAM = "/specs/bulk-invoice-import/"
WITH_DIAGRAM = "/specs/webhook-delivery-v2/"  # sofia: Security/Privacy A and R, not signed yet
JS_BUDGET = 300 * 1024

SCRIPT_BYTES = """() => performance.getEntriesByType("resource")
  .filter((e) => e.initiatorType === "script" || e.name.endsWith(".js"))
  .map((e) => [e.name, e.decodedBodySize])"""


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # pytest-django runs with DEBUG off; seed_demo is for development
    call_command("seed_demo", "--password", PASSWORD, stdout=StringIO())


@pytest.fixture
def person(signed_in, demo):
    return signed_in


def test_a_review_page_without_a_diagram_ships_at_most_300_kb_of_javascript(person):
    page = person("jonas")
    page.goto(NO_DIAGRAM)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)  # the idle callback that would fetch mermaid has run
    scripts = page.evaluate(SCRIPT_BYTES)
    assert not [name for name, _ in scripts if "mermaid" in name]
    total = sum(size for _, size in scripts)
    assert 0 < total <= JS_BUDGET, scripts

    page.goto(WITH_DIAGRAM)
    page.locator(".rendered pre.mermaid svg[role=img]").first.wait_for()
    assert [name for name, _ in page.evaluate(SCRIPT_BYTES) if "mermaid" in name]
    assert page.locator(".rendered pre.mermaid svg[aria-label]").count() >= 1


# The keyboard-only pass through the whole review lives in test_keyboard_review.py (it grew
# comments in the margin, on a phrase and in place).


def test_a_second_open_page_shows_another_persons_step_within_10_seconds(person):
    watcher = person("jonas")
    watcher.goto(WITH_DIAGRAM)
    watcher.wait_for_timeout(500)  # the page has taken its first change stamp
    assert watcher.locator("#signoffs-panel").get_by_text("Sofia Rossi").count() >= 1
    before = watcher.locator("#timeline-panel").inner_text()

    sofia = person("sofia")
    sofia.goto(WITH_DIAGRAM)
    form = sofia.locator("form.sign-form").first
    form.get_by_label("Approve").check()
    form.get_by_role("button", name="Record sign-off").click()
    sofia.locator("#signoffs-panel [data-result]").wait_for()

    # No reload: the watcher's timeline and matrix update from the change stamp.
    watcher.wait_for_function(
        "(before) => document.getElementById('timeline-panel').innerText !== before",
        arg=before,
        timeout=10_000,
    )
    assert "signoff.recorded" in watcher.locator("#timeline-panel").inner_text()

    # The header badge follows a workflow step without a reload too.
    lukas = person("lukas")  # the author withdraws
    lukas.goto(WITH_DIAGRAM)
    lukas.get_by_role("button", name="Withdraw").click()
    lukas.locator("#actions-panel .badge.state-withdrawn").wait_for()
    assert Spec.objects.get(slug="webhook-delivery-v2").state == "withdrawn"
    watcher.locator("#spec-status .badge.state-withdrawn").wait_for(timeout=10_000)
