"""The outline marks the sections changed since the reader last looked; `]` / `[` and the
outline's "Next / Previous changed" links walk them, by keyboard, at 1500 px and at 375 px."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from reviews.models import LastSeen
from specs.models import Spec
from tests.browser.test_accessibility import serious_violations, sideways
from tests.browser.test_keyboard_review import demo, focused, person, shots  # noqa: F401

pytestmark = pytest.mark.browser

SLUG = "webhook-delivery-v2"  # two versions; sofia reviews it
ACTIVE_ID = "() => document.activeElement.id"
MARKED = """() => Array.from(
    document.querySelectorAll('.toc a[data-changed]'), (a) => a.hash.slice(1))"""


def last_looked_at_v1(username: str) -> None:
    """As if the person had last opened v1 (each visit of v2 moves it on)."""
    LastSeen.objects.update_or_create(
        user=get_user_model().objects.get(username=username),
        spec=Spec.objects.get(slug=SLUG),
        defaults={"version_number": 1, "seen_at": timezone.now()},
    )


def test_brackets_walk_the_changed_sections_wide_and_on_a_phone(person, shots):  # noqa: F811
    last_looked_at_v1("sofia")
    page = person("sofia", width=1500)  # the outline is open beside the text from 1440 px
    page.goto(f"/specs/{SLUG}/")
    page.wait_for_load_state("networkidle")
    marked = page.evaluate(MARKED)
    assert len(marked) >= 2
    heading = page.locator(".toc h2").inner_text()
    assert f"{len(marked)} changed since v1" in heading
    badge = page.locator(".toc a[data-changed] .toc-mark").first
    assert badge.is_visible() and badge.inner_text().split()[0] in ("changed", "new")

    # ] and [ move focus to the changed headings in the text, in order.
    page.keyboard.press("]")
    page.wait_for_function("(id) => document.activeElement.id === id", arg=marked[0])
    assert page.evaluate(ACTIVE_ID) == marked[0]
    assert page.locator(f"#{marked[0]}").get_attribute("data-changed-mark") in ("changed", "new")
    first = page.locator(f"#{marked[0]}").bounding_box()
    assert -1 <= first["y"] < 900  # scrolled into view
    page.keyboard.press("]")
    assert page.evaluate(ACTIVE_ID) == marked[1]
    page.keyboard.press("[")
    assert page.evaluate(ACTIVE_ID) == marked[0]
    page.wait_for_function(
        "() => document.getElementById('live-status').textContent"
        ".startsWith('Changed section 1 of')"
    )
    # j from a changed heading goes on to the next block; ] goes on from there.
    page.keyboard.press("j")
    assert focused(page)["line"]
    page.keyboard.press("]")
    assert page.evaluate(ACTIVE_ID) == marked[1]

    # Never while typing in a field.
    search = page.locator("#header-search")
    search.focus()
    page.keyboard.press("]")
    assert search.input_value() == "]" and page.evaluate(ACTIVE_ID) == "header-search"

    # The visible control does the same, from the last changed section visited.
    page.get_by_role("link", name="Next changed section").click()
    assert page.evaluate(ACTIVE_ID) == marked[2 if len(marked) > 2 else 1]

    # The shortcut sheet lists the keys.
    page.keyboard.press("?")
    assert (
        "next / previous section changed since you last looked"
        in page.locator("#shortcut-sheet").inner_text()
    )
    page.keyboard.press("Escape")
    page.screenshot(path=str(shots / "outline-changes-1500.png"))
    assert not serious_violations(page)

    # A phone: the outline is a closed disclosure whose summary still says how many changed.
    last_looked_at_v1("sofia")
    phone = person("sofia", width=375)
    phone.goto(f"/specs/{SLUG}/")
    phone.wait_for_load_state("networkidle")
    assert phone.locator(".toc details").get_attribute("open") is None
    assert f"{len(marked)} changed since v1" in phone.locator(".toc summary").inner_text()
    phone.keyboard.press("]")
    assert phone.evaluate(ACTIVE_ID) == marked[0]
    assert sideways(phone) == 0
    phone.locator(".toc summary").click()
    phone.get_by_role("link", name="Next changed section").click()
    assert phone.evaluate(ACTIVE_ID) == marked[1]
    assert sideways(phone) == 0
    phone.locator(".toc").scroll_into_view_if_needed()
    phone.screenshot(path=str(shots / "outline-changes-375.png"))
    assert not serious_violations(phone)
