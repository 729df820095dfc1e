"""Scoped staleness as a reviewer meets it in Chromium: carried, stale, diff, re-confirm."""

import pytest

from reviews import actions
from specs import actions as spec_actions
from specs.models import Profile, Spec
from tests.reviews.test_staleness import PEOPLE, V1, V2

pytestmark = pytest.mark.browser
PASSWORD = "a long enough secret"


def fresh(spec):
    return Spec.objects.with_current_version().get(pk=spec.pk)


@pytest.fixture
def stale_for_sofia(make_user):
    team = {
        u: make_user(u, password=PASSWORD, first_name=f, last_name=last)
        for u, (f, last) in PEOPLE.items()
    }
    spec = spec_actions.create_spec_with_version(
        title="Ledger export",
        slug="ledger-export",
        profile=Profile.objects.get(name="tech-spec"),
        author=team["mei"],
        data=V1.encode(),
    )
    actions.record_lint_override(
        version=fresh(spec).current_version,
        by=team["jonas"],
        reason="The date is quoted from a partner contract",
    )
    actions.transition(
        spec=spec, name="submit", by=team["mei"], expected_row_version=fresh(spec).row_version
    )
    for who, area in (("jonas", "Engineering"), ("sofia", "Security/Privacy")):
        actions.sign_off(
            spec=spec,
            area=area,
            role="A",
            decision="approve",
            comment="",
            by=team[who],
            expected_version=1,
        )
    spec_actions.upload_version(spec=spec, data=V2.encode(), uploaded_by=team["mei"])
    return spec


def test_a_stale_signer_sees_their_sections_diff_and_re_confirms(page, stale_for_sofia):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("sofia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    page.goto("/specs/ledger-export/")
    panel = page.locator("#signoffs-panel")
    assert "approved on v1, carried: its sections are unchanged" in panel.inner_text()
    assert "stale from v1" in panel.inner_text()
    page.get_by_role("link", name="See what changed in your sections").click()
    page.wait_for_url("**/diff/**")
    body = page.locator("main").inner_text()
    assert "T5: replayed links" in body and "Showing only the changes in" in body
    page.go_back()
    page.locator("form.sign-form", has_text="Security/Privacy").get_by_role(
        "button", name="Re-confirm"
    ).click()
    panel.get_by_text("Sign-off recorded for Security/Privacy.").wait_for()
    assert "stale from v1" not in page.locator("#signoffs-panel").inner_text()
    assert page.console_errors == []
