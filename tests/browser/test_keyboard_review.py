"""The whole review by keyboard only (issue 11): open the spec from the dashboard, comment on a
block and on a phrase in it, reply, resolve and re-open in place, sign off, tick three gate items
at once, record a decision; focus is checked after every step. Then the margin itself: threads
beside their blocks at 1280 px, under them at 375 px, a mouse selection's "Comment" button, a
comment from the diff's new side, axe on the pages with threads, and screenshots to look at.

Screenshots go to $REVIEW_SCREENSHOTS when set (else the test's tmp dir), with js-bytes.txt: the
JavaScript each page loaded.
"""

import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from reviews.models import Comment, DecisionEntry, GateCheck, SignOff
from tests.browser.test_accessibility import serious_violations, sideways

pytestmark = pytest.mark.browser

PASSWORD = "review-demo-2026"
SPEC = "/specs/webhook-delivery-v2/"  # sofia: Security/Privacy A and R; the author is lukas
JS_BUDGET = 300 * 1024
SCRIPT_BYTES = """() => performance.getEntriesByType("resource")
  .filter((e) => e.initiatorType === "script" || e.name.endsWith(".js"))
  .reduce((sum, e) => sum + e.decodedBodySize, 0)"""
FOCUSED = """() => { const el = document.activeElement; return {
    tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || "").trim(),
    name: el.getAttribute("name") || "", type: el.getAttribute("type") || "",
    line: el.dataset.sourceLine || "", result: el.hasAttribute("data-result"),
    thread: (el.closest(".thread") || {}).id || "", href: el.getAttribute("href") || "",
    panel: (el.closest("section[id]") || {}).id || "" }; }"""


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # pytest-django runs with DEBUG off; seed_demo is for development
    call_command("seed_demo", "--password", PASSWORD, stdout=StringIO())


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("REVIEW_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def person(signed_in, demo):
    return signed_in


def js_bytes(page, shots: Path, name: str) -> int:
    """The page's JavaScript (decoded bytes), noted in js-bytes.txt beside the screenshots."""
    size = page.evaluate(SCRIPT_BYTES)
    with (shots / "js-bytes.txt").open("a") as notes:
        notes.write(f"{name}: {size} bytes\n")
    return size


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def press(page, key) -> dict:
    page.keyboard.press(key)
    now = focused(page)
    assert now["tag"] != "body", f"focus fell to <body> after {key}"
    return now


def tab_until(page, predicate, limit=60, back=False) -> dict:
    for _ in range(limit):
        now = press(page, "Shift+Tab" if back else "Tab")
        if predicate(now):
            return now
    raise AssertionError(f"never reached by Tab; last focus {focused(page)}")


def settled(page) -> None:
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.wait_for_timeout(250)  # the other panels' refreshes (HX-Trigger) have landed


def wait_for_focused_result(page, text, *, inside) -> dict:
    """The step's result has focus, inside `inside` (a CSS selector), and was announced."""
    page.wait_for_function(
        "([text, inside]) => { const el = document.activeElement;"
        " return el.hasAttribute('data-result') && el.textContent.includes(text)"
        " && !!el.closest(inside); }",
        arg=[text, inside],
    )
    page.wait_for_function(
        "(text) => document.getElementById('live-status').textContent.includes(text)", arg=text
    )
    settled(page)
    return focused(page)


def test_the_whole_review_by_keyboard_with_focus_after_each_step(person, shots):
    page = person("sofia")
    # Open the spec from the dashboard.
    link = tab_until(page, lambda f: f["tag"] == "a" and f["href"] == SPEC)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{SPEC}")
    page.wait_for_load_state("networkidle")

    # ? lists the shortcuts; Esc closes the sheet and focus goes back.
    tab_until(page, lambda f: f["tag"] == "a")  # something focused before the sheet
    before = focused(page)
    page.keyboard.press("?")
    assert page.locator("#shortcut-sheet").is_visible()
    assert "next / previous open comment thread" in page.locator("#shortcut-sheet").inner_text()
    page.keyboard.press("Escape")
    assert not page.locator("#shortcut-sheet").is_visible()
    assert focused(page) == before

    # j/k walk the blocks; c opens the composer beside the focused block.
    for key in ("j", "j", "j", "k"):
        block = press(page, key)
    assert block["line"], block
    now = press(page, "c")
    assert now["name"] == "body"
    composer = page.locator("#comment-form")
    assert "placed" in composer.get_attribute("class")
    assert page.locator("#comment-line-start").input_value() == block["line"]
    block_box = page.locator(f'.rendered [data-source-line="{block["line"]}"]').first.bounding_box()
    assert abs(composer.bounding_box()["y"] - block_box["y"]) < 40  # beside it, in the margin
    assert composer.bounding_box()["x"] > block_box["x"] + block_box["width"]
    page.keyboard.type("Which retry budget applies here?")
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Add comment")
    page.keyboard.press("Enter")
    now = wait_for_focused_result(page, "Comment added.", inside=".thread")
    first = Comment.objects.get(body="Which retry budget applies here?")
    assert now["thread"] == f"comment-{first.pk}" and first.line_start == int(block["line"])
    marker = page.locator(f'.rendered [data-source-line="{block["line"]}"] .comment-marker')
    assert re.match(r"1 comment on this \w+", marker.get_attribute("aria-label"))

    # A phrase: the quote field takes the exact words (a mouse selection fills it in).
    phrase_block = press(page, "j")  # from a thread, j starts again at the first block
    while phrase_block["tag"] != "p" or phrase_block["line"] == block["line"]:
        phrase_block = press(page, "j")
    words = phrase_block["text"].split()
    quote = " ".join(words[1:4])
    press(page, "c")
    assert press(page, "Shift+Tab")["name"] == "quote"
    page.keyboard.type(quote)
    press(page, "Tab")
    page.keyboard.type("Is this measured?")
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Add comment")
    page.keyboard.press("Enter")
    wait_for_focused_result(page, "Comment added.", inside=".thread")
    phrase = Comment.objects.get(body="Is this measured?")
    assert (phrase.quote, phrase.line_start) == (quote, int(phrase_block["line"]))
    assert page.locator(f"#comment-{phrase.pk} blockquote.quote").inner_text() == quote
    assert page.evaluate("() => CSS.highlights.get('comment-quote').size") >= 1

    # n / p walk the open threads; r replies in the focused one.
    assert press(page, "n")["thread"] in {f"comment-{first.pk}", f"comment-{phrase.pk}"}
    while focused(page)["thread"] != f"comment-{first.pk}":
        press(page, "p")
    assert press(page, "r")["name"] == "body"
    page.keyboard.type("Per endpoint, I assume.")
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Send reply")
    page.keyboard.press("Enter")
    now = wait_for_focused_result(page, "Reply added.", inside=f"#comment-{first.pk}")
    assert Comment.objects.filter(parent=first, body="Per endpoint, I assume.").exists()

    # Resolve, then re-open, in place: focus stays in the thread.
    tab_until(page, lambda f: f["text"] == "Resolve" and f["thread"] == f"comment-{first.pk}")
    page.keyboard.press("Enter")
    wait_for_focused_result(page, "Comment resolved.", inside=f"#comment-{first.pk}")
    tab_until(page, lambda f: f["text"] == "Re-open" and f["thread"] == f"comment-{first.pk}")
    page.keyboard.press("Enter")
    wait_for_focused_result(page, "Comment reopened.", inside=f"#comment-{first.pk}")
    first.refresh_from_db()
    assert first.state == "open" and first.revision == 2

    # s: the sign-off form; pick a verdict, send.
    assert press(page, "s")["type"] == "radio"
    page.keyboard.press("Space")
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Record sign-off")
    page.keyboard.press("Enter")
    wait_for_focused_result(page, "Sign-off recorded", inside="#signoffs-panel")
    assert SignOff.objects.filter(user__username="sofia", version__spec__slug="webhook-delivery-v2")

    # g: the gate; tick three items, save once.
    assert press(page, "g")["type"] == "checkbox"
    first_free = page.locator("#gates-panel li.gate input[type=checkbox]").evaluate_all(
        "(boxes) => boxes.findIndex((b) => b.closest('li').classList.contains('gate-unchecked'))"
    )
    for _ in range(first_free):
        press(page, "Tab")
    for index in range(3):
        page.keyboard.press("Space")
        if index < 2:
            press(page, "Tab")
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Save ticked items")
    page.keyboard.press("Enter")
    wait_for_focused_result(page, "Saved 3 gate items.", inside="#gates-panel")
    assert GateCheck.objects.filter(version__spec__slug="webhook-delivery-v2").count() >= 3

    # d: a scope decision, every field by keyboard.
    assert press(page, "d")["text"] == "Record a decision"
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
    wait_for_focused_result(page, "Decision recorded.", inside="#decisions-panel")
    assert DecisionEntry.objects.filter(request="Retry budget per endpoint").exists()
    assert link["href"] == SPEC

    # The page with its threads, as the reviewer: axe, and a look.
    page.locator(f"#comment-{first.pk}").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "review-1280-reviewer.png"))
    assert not serious_violations(page)


def test_threads_sit_beside_blocks_wide_and_open_under_them_on_a_phone(person, shots):
    page = person("sofia")
    page.goto(SPEC)
    page.wait_for_load_state("networkidle")
    js_bytes(page, shots, "review page with a diagram (mermaid after first paint)")

    # A mouse selection inside one block: the "Comment" button opens the composer with it.
    block = page.locator(".rendered p[data-source-line]").nth(2)
    text = block.inner_text()
    quote = " ".join(text.split()[:3])
    page.evaluate(
        """([line, quote]) => {
          const block = document.querySelector(`.rendered p[data-source-line="${line}"]`);
          const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
          let node = walker.nextNode();
          while (node && !node.nodeValue.trim()) node = walker.nextNode();
          const range = document.createRange();
          const start = node.nodeValue.indexOf(quote.split(" ")[0]);
          range.setStart(node, start);
          range.setEnd(node, Math.min(node.nodeValue.length, start + quote.length));
          getSelection().removeAllRanges(); getSelection().addRange(range);
        }""",
        [block.get_attribute("data-source-line"), quote],
    )
    selected = page.evaluate("() => getSelection().toString()").replace("\n", " ").strip()
    page.get_by_role("button", name="Comment", exact=True).click()
    assert page.locator("#comment-quote").input_value() == " ".join(selected.split())
    page.locator("#comment-body").fill("Mouse-selected words.")
    page.get_by_role("button", name="Add comment").click()
    page.locator(".thread", has_text="Mouse-selected words.").wait_for()
    thread = page.locator(".thread", has_text="Mouse-selected words.")
    box, at = thread.bounding_box(), block.bounding_box()
    assert box["x"] > at["x"] + at["width"] and abs(box["y"] - at["y"]) < 60
    page.screenshot(path=str(shots / "margin-1280.png"))

    phone = person("sofia", width=375)
    phone.goto(SPEC)
    phone.wait_for_load_state("networkidle")
    assert sideways(phone) == 0
    marker = phone.locator(".comment-marker").first
    assert marker.get_attribute("aria-expanded") == "false"
    assert not phone.locator(".thread", has_text="Mouse-selected words.").is_visible()
    marker.focus()
    phone.keyboard.press("Enter")
    opened = phone.locator(".thread", has_text="Mouse-selected words.")
    opened.wait_for()
    assert phone.evaluate("() => document.activeElement.classList.contains('thread')")
    marker_box = phone.locator(".comment-marker").first.bounding_box()
    assert opened.bounding_box()["y"] > marker_box["y"]  # under its block, not in a side column
    assert sideways(phone) == 0
    opened.scroll_into_view_if_needed()
    phone.screenshot(path=str(shots / "margin-375.png"))
    assert not serious_violations(phone)


def test_a_comment_from_the_diffs_new_side_shows_under_its_line_and_on_the_page(person, shots):
    author = person("lukas")
    author.goto(SPEC)
    author.wait_for_load_state("networkidle")
    author.goto("/specs/bulk-invoice-import/")  # no diagram
    author.wait_for_load_state("networkidle")
    author.wait_for_timeout(1000)  # the idle callback that would fetch mermaid has run
    assert js_bytes(author, shots, "review page without a diagram") <= JS_BUDGET
    author.goto(SPEC.rstrip("/") + "/diff/")
    assert author.locator("button.line-comment").count() == 0  # the author starts no threads

    page = person("sofia")
    page.goto(SPEC.rstrip("/") + "/diff/")
    page.wait_for_load_state("networkidle")
    assert js_bytes(page, shots, "diff page") <= JS_BUDGET
    button = page.locator("button.line-comment").first
    line = button.get_attribute("data-line")
    button.focus()
    page.keyboard.press("Enter")
    assert focused(page)["name"] == "body"
    page.keyboard.type("Why did this line change?")
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Add comment")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.activeElement.hasAttribute('data-result')"
        " && !!document.activeElement.closest('tr.thread-row')"
    )
    placed = page.locator(f"tr[data-new-line='{line}'] + tr.thread-row")
    assert "Why did this line change?" in placed.inner_text()
    comment = Comment.objects.get(body="Why did this line change?")
    assert comment.line_start == int(line) and comment.version.number == 2
    page.screenshot(path=str(shots / "diff-1280.png"))
    assert not serious_violations(page)

    author.goto(SPEC.rstrip("/") + "/diff/")
    author.locator("tr.thread-row", has_text="Why did this line change?").wait_for()
    assert not serious_violations(author)
    author.goto(SPEC)
    author.locator(".thread", has_text="Why did this line change?").wait_for()
    assert author.locator(".thread", has_text="Why did this line change?").is_visible()
    assert not serious_violations(author)
