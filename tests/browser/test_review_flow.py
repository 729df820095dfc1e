"""The whole review in Chromium, each demo person in their own browser context."""

import functools
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from core.models import AuditEvent
from specs.models import Spec

pytestmark = pytest.mark.browser

SPEC_FILE = Path(__file__).resolve().parents[2] / "demo" / "specs" / "invoice-reminders" / "v3.md"
PASSWORD = "review-demo-2026"
ACCOUNTABLES = {
    "tomas": "Product",
    "jonas": "Engineering",
    "sofia": "Security/Privacy",
    "fatima": "Support/Ops",
}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # pytest-django runs with DEBUG off; seed_demo is for development
    call_command("seed_demo", "--password", PASSWORD, stdout=StringIO())


@pytest.fixture
def person(signed_in, demo):
    return functools.partial(signed_in, width=1400, height=1000)


def sign(page, slot_legend, decision, comment=""):
    form = page.locator("form.sign-form", has_text=slot_legend)
    form.get_by_label(decision).check()
    if comment:
        form.get_by_label("Comment").fill(comment)
    form.get_by_role("button", name="Record sign-off").click()


def post_from_page(page, path, data):
    """A forged request from the signed-in browser (CSRF token taken from the page)."""
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    return page.request.post(
        path, form={**data, "csrfmiddlewaretoken": token}, headers={"HX-Request": "true"}
    )


def test_tech_spec_goes_from_upload_to_approved_with_several_people(person, make_user):
    url = "/specs/reminders-review/"
    aisha = person("aisha")
    aisha.get_by_role("link", name="New spec").click()
    aisha.get_by_label("Title").fill("Reminders review")
    aisha.get_by_label("File").set_input_files(str(SPEC_FILE))
    aisha.get_by_role("button", name="Create spec").click()
    aisha.wait_for_url(f"**{url}")
    assert aisha.locator("#lint-panel").get_by_text("No findings.").is_visible()
    assert aisha.locator("#raci-panel").get_by_text("Fatima Haddad").is_visible()
    aisha.get_by_role("button", name="Submit").click()
    aisha.locator("#actions-panel .badge.state-in_review").wait_for()
    # The author cannot approve: the button is disabled with the reasons beside it...
    assert aisha.get_by_role("button", name="Approve").is_disabled()
    assert aisha.locator("#why-approve").get_by_text("has not approved v1").first.is_visible()

    # ...and the server refuses a forged approval too.
    spec = Spec.objects.get(slug="reminders-review")
    forged = post_from_page(
        aisha, f"{url}transition/", {"name": "approve", "row_version": str(spec.row_version)}
    )
    assert forged.status == 403

    sofia = person("sofia")
    sofia.goto(url)
    sign(
        sofia,
        "Security/Privacy (Accountable)",
        "Request changes",
        "Retention must be 7 days, not 14.",
    )
    sofia.locator("#signoffs-panel").get_by_text("Sign-off recorded").wait_for()
    jonas = person("jonas")
    # A page whose live updates never arrive (a hidden tab, a dropped connection) goes stale:
    # the server still refuses its form (409) and answers with the fresh panel.
    jonas.route("**/changes/**", lambda route: route.abort())
    jonas.goto(url)  # loaded before the new version: this page will go stale
    assert Spec.objects.get(pk=spec.pk).state == "changes_requested"

    aisha.goto(f"{url}upload/")
    aisha.get_by_label("…or edit the text").fill(SPEC_FILE.read_text().replace("14 days", "7 days"))
    aisha.get_by_label("Change note").fill("Retention 7 days")
    aisha.get_by_role("button", name="Upload version").click()
    aisha.get_by_text("Uploaded version 2.").wait_for()
    assert Spec.objects.get(pk=spec.pk).state == "in_review"

    # Jonas signs from the page he loaded on v1: 409, and the fresh v2 panel replaces it.
    sign(jonas, "Engineering (Accountable)", "Approve")
    jonas.locator("#signoffs-panel").get_by_text("moved on to v2").wait_for()
    assert jonas.locator("#signoffs-heading").inner_text() == "Sign-offs on v2"
    sign(jonas, "Engineering (Accountable)", "Approve")
    jonas.locator("#signoffs-panel").get_by_text("Sign-off recorded").wait_for()
    # Signing someone else's slot is refused.
    refused = post_from_page(
        jonas,
        f"{url}sign-off/",
        {"version": "2", "area": "Security/Privacy", "role": "A", "decision": "approve"},
    )
    assert refused.status == 403

    for username in ("tomas", "fatima", "sofia"):
        page = sofia if username == "sofia" else person(username)
        page.goto(url)
        sign(page, f"{ACCOUNTABLES[username]} (Accountable)", "Approve")
        page.locator("#signoffs-panel").get_by_text("Sign-off recorded").wait_for()
    mei = person("mei")
    mei.goto(url)
    sign(mei, "Engineering (Consulted)", "No concerns")
    mei.locator("#signoffs-panel").get_by_text("Sign-off recorded").wait_for()

    # A decision is recorded, then corrected by a superseding entry; both stay visible.
    decisions = jonas.locator("#decisions-panel")
    decisions.get_by_text("Record a decision").click()
    form = decisions.locator("form.decision-form").last
    form.get_by_label("Date").fill("2026-11-20")
    form.get_by_label("Request").fill("Send reminders by SMS")
    form.get_by_label("Source").fill("Diego Santos (Support)")
    form.get_by_label("Decision").select_option("Deferred")
    form.get_by_label("Rationale").fill("No SMS provider contract yet")
    form.get_by_label("Trade-off").fill("E-mail only until Q2")
    form.get_by_role("button", name="Record decision").click()
    jonas.locator("#decisions-panel").get_by_text("Decision recorded.").wait_for()
    sofia.goto(url)
    sofia.locator("#decisions-panel").get_by_text("Correct this entry").click()
    correction = sofia.locator("#decisions-panel form.decision-form").first
    correction.get_by_label("Decision").select_option("Rejected")
    correction.get_by_label("Rationale").fill("SMS carries payment links: phishing risk")
    correction.get_by_role("button", name="Record correction").click()
    sofia.locator("#decisions-panel").get_by_text("Decision superseded.").wait_for()
    assert sofia.locator("#decisions-panel .decision.superseded").count() == 1
    assert sofia.locator("#decisions-panel .decision").count() == 2

    # Every gate item is ticked in two saves: one N/A with its reason, then the other eleven.
    jonas.goto(url)
    gates = jonas.locator("#gates-panel")
    items = gates.locator("li.gate input[type=checkbox]")
    assert items.count() == 12
    items.nth(1).check()
    gates.get_by_role("radio", name="N/A").check()
    gates.get_by_label("Reason (needed for N/A)").fill("stateless service, no state machine")
    gates.get_by_role("button", name="Save ticked items").click()
    jonas.locator("#gates-panel p.ok", has_text="Saved 1 gate item.").wait_for()
    for index in range(12):
        if index != 1:
            jonas.locator("#gates-panel li.gate input[type=checkbox]").nth(index).check()
    jonas.locator("#gates-panel").get_by_role("button", name="Save ticked items").click()
    jonas.locator("#gates-panel p.ok", has_text="Saved 11 gate items.").wait_for()
    assert "12 of 12" in jonas.locator("#gates-panel").inner_text()

    fatima = person("fatima")
    fatima.goto(url)
    fatima.get_by_role("button", name="Approve").click()
    fatima.locator("#actions-panel .badge.state-approved").wait_for()
    assert Spec.objects.get(pk=spec.pk).state == "approved"

    fatima.goto(url)
    timeline = fatima.locator("#timeline-panel").inner_text()
    for verb in (
        "spec.submit",
        "spec.request_changes",
        "spec.new_version",
        "signoff.recorded",
        "decision.recorded",
        "decision.superseded",
        "gate.ticked",
        "spec.approve",
    ):
        assert verb in timeline, verb
    assert AuditEvent.objects.filter(spec_id=spec.pk, verb="gate.ticked").count() == 12

    # An outsider's URL answers 404: a draft is private to its author and RACI.
    make_user("olga", password=PASSWORD, first_name="Olga", last_name="Outside")
    olga = person("olga")
    assert olga.goto("/specs/support-ticket-triage/").status == 404
