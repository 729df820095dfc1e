"""The review session in Chromium (issue 11): its weight, a keyboard-only pass, and live updates."""

from io import StringIO

import pytest
from django.core.management import call_command

from reviews.models import Comment, DecisionEntry, GateCheck, SignOff
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
def person(browser, live_server, demo):
    contexts = []

    def open_as(username):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def focused(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement; return {
            tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || "").trim(),
            name: el.getAttribute("name") || "", type: el.getAttribute("type") || "",
            line: el.dataset.sourceLine || "", result: el.hasAttribute("data-result"),
            panel: (el.closest("section[id]") || {}).id || "" }; }"""
    )


def tab_until(page, predicate, limit=40) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if predicate(now):
            return now
    raise AssertionError(f"never reached by Tab; last focus {focused(page)}")


def wait_for_result(page, panel, text) -> None:
    page.locator(f"#{panel} [data-result]", has_text=text).wait_for()
    page.wait_for_function(
        "([panel, text]) => document.activeElement.closest('#' + panel) &&"
        " document.activeElement.hasAttribute('data-result') &&"
        " document.activeElement.textContent.includes(text)",
        arg=[panel, text],
    )
    page.wait_for_function(
        "(text) => document.getElementById('live-status').textContent.includes(text)", arg=text
    )
    # The other panels' refreshes (HX-Trigger) have landed before the next key.
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.wait_for_timeout(200)


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


def test_the_whole_review_by_keyboard_with_focus_after_each_step(person):
    page = person("sofia")
    page.goto(WITH_DIAGRAM)
    page.locator("body").press("?")
    assert page.locator("#shortcut-sheet").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#shortcut-sheet").is_visible()

    # j/k walk the blocks; c comments on the focused one.
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    block = focused(page)
    assert block["line"], block
    page.keyboard.press("c")
    assert focused(page)["name"] == "body"
    assert page.locator("#comment-line-start").input_value() == block["line"]
    page.keyboard.type("Which retry budget applies here?")
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Add comment")
    page.keyboard.press("Enter")
    wait_for_result(page, "comments-panel", "Comment added.")
    comment = Comment.objects.get(body="Which retry budget applies here?")
    assert comment.line_start == int(block["line"])

    # n goes to the next open thread; reply from inside it.
    page.keyboard.press("n")
    assert focused(page)["tag"] == "li"
    tab_until(page, lambda f: f["tag"] == "summary" and f["text"] == "Reply")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("The per-endpoint one.")
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Reply")
    page.keyboard.press("Enter")
    wait_for_result(page, "comments-panel", "Reply added.")
    assert Comment.objects.filter(parent=comment, body="The per-endpoint one.").exists()

    # s goes to the sign-off form: pick a verdict, send.
    page.keyboard.press("s")
    assert focused(page)["type"] == "radio", focused(page)
    page.keyboard.press("Space")
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Record sign-off")
    page.keyboard.press("Enter")
    wait_for_result(page, "signoffs-panel", "Sign-off recorded for Security/Privacy.")
    assert SignOff.objects.filter(user__username="sofia", version__spec__slug="webhook-delivery-v2")

    # g goes to the gate: tick three items, save once.
    ticked_before = GateCheck.objects.filter(version__spec__slug="webhook-delivery-v2").count()
    page.keyboard.press("g")
    assert focused(page)["type"] == "checkbox"
    unchecked = page.locator("#gates-panel li.gate-unchecked input[type=checkbox]")
    first_free = page.locator("#gates-panel li.gate input[type=checkbox]").evaluate_all(
        "(boxes) => boxes.findIndex((b) => b.closest('li').classList.contains('gate-unchecked'))"
    )
    for _ in range(first_free):
        page.keyboard.press("Tab")
    for index in range(3):
        page.keyboard.press("Space")
        if index < 2:
            page.keyboard.press("Tab")
    assert unchecked.evaluate_all("(boxes) => boxes.filter((b) => b.checked).length") == 3
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Save ticked items")
    page.keyboard.press("Enter")
    wait_for_result(page, "gates-panel", "Saved 3 gate items.")
    after = GateCheck.objects.filter(version__spec__slug="webhook-delivery-v2", state="checked")
    assert after.count() >= ticked_before + 3 - 0

    # d opens the decision form; every field by keyboard.
    page.keyboard.press("d")
    assert focused(page)["text"] == "Record a decision"
    page.keyboard.press("Enter")
    fields = {
        "date": "10012026",
        "request": "Retry budget per endpoint",
        "source": "Review thread",
        "rationale": "Endpoints differ in capacity.",
        "trade_off": "More settings to explain.",
    }
    for name, text in fields.items():
        tab_until(page, lambda f, name=name: f["name"] == name and f["panel"] == "decisions-panel")
        page.keyboard.type(text)
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Record decision")
    page.keyboard.press("Enter")
    wait_for_result(page, "decisions-panel", "Decision recorded.")
    assert DecisionEntry.objects.filter(request="Retry budget per endpoint").exists()


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
