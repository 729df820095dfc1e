"""The digest time form on the preferences page, by keyboard, in Chromium: a wrong zone name is
refused in place with focus on the field, a right one is saved, axe finds nothing serious."""

import pytest

from notifications.models import DeliverySchedule
from tests.browser.test_accessibility import serious_violations, sideways

pytestmark = pytest.mark.browser

PASSWORD = "a long enough secret"


def test_digest_time_and_zone_by_keyboard(page, make_user):
    person = make_user("mei", password=PASSWORD, first_name="Mei", last_name="Chen")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("mei")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    page.goto("/notifications/preferences/")
    assert serious_violations(page) == []

    zone = page.get_by_label("My time zone")
    zone.fill("Mars/Olympus")
    zone.press("Enter")
    page.get_by_text("“Mars/Olympus” is not a time zone name").wait_for()
    assert page.evaluate("document.activeElement.name") == "time_zone"  # not <body>
    assert not DeliverySchedule.objects.exists()

    page.get_by_label("Send my digest and reminders at").select_option("06:00")
    zone = page.get_by_label("My time zone")
    zone.fill("Europe/Berlin")
    zone.press("Enter")
    # Focus moves to the result when htmx has settled the swap, a moment after it appears.
    page.wait_for_function("() => document.activeElement.hasAttribute('data-result')")
    schedule = DeliverySchedule.objects.get(user=person)
    assert (schedule.digest_hour, schedule.time_zone) == (6, "Europe/Berlin")
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    assert sideways(page) == 0
    # The refused zone's 422 is the only error the browser logs (the form is its answer).
    assert [e for e in page.console_errors if "422" not in e] == []
