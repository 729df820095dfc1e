import pytest
from django.urls import reverse

from specs import actions
from specs.models import Profile

pytestmark = pytest.mark.django_db

TEMPLATE = """# Runbook: <service name>

## Purpose (required)
<why this runbook exists>

## Alerts (required)
| Alert | Meaning | First response |
|---|---|---|
| <alert> | <meaning> | <action> |

## Sign-off
- [ ] On-call lead
- [ ] Service owner
"""

FILLED = """# Runbook: Ledger export

## Purpose
Restores ledger exports when the nightly job fails.

## Alerts
| Alert | Meaning | First response |
|---|---|---|
| ExportLate | Nightly export missed its window | Re-run the job |

## Sign-off
- [x] On-call lead
"""


@pytest.fixture
def admin(make_user):
    return make_user("admin", is_staff=True)


def test_admin_previews_what_is_inferred_then_saves_a_working_profile(client, admin, make_spec):
    client.force_login(admin)
    data = {"name": "runbook", "title": "Runbook", "template_text": TEMPLATE, "override_toml": ""}
    preview = client.post(reverse("specs:profile_new"), data).content.decode()
    assert "What the linter will require" in preview
    assert "Alerts" in preview and "First response" in preview and "On-call lead" in preview
    assert not Profile.objects.filter(name="runbook").exists()  # nothing saved by a preview

    response = client.post(reverse("specs:profile_new"), {**data, "confirm": "yes"})
    assert response.status_code == 302
    runbook = Profile.objects.get(name="runbook")
    spec = make_spec("ledger-runbook", data=FILLED.encode(), profile=runbook)
    findings = {(f["rule"], f["message"]) for f in spec.current_version.lint_findings}
    assert any(
        rule == "checklist-item-missing" and "Service owner" in message
        for rule, message in findings
    )
    actions.upload_version(
        spec=spec, data=FILLED.replace("## Alerts", "## Alarms").encode(), uploaded_by=spec.author
    )
    spec.refresh_from_db()
    assert any(f["rule"] == "required-section" for f in spec.current_version.lint_findings)


def test_a_broken_override_is_refused_with_the_reason(client, admin):
    client.force_login(admin)
    data = {
        "name": "runbook",
        "title": "Runbook",
        "template_text": TEMPLATE,
        "override_toml": "rules = [",
        "confirm": "yes",
    }
    response = client.post(reverse("specs:profile_new"), data)
    assert response.status_code == 200
    assert "cannot become a profile" in response.content.decode()
    assert not Profile.objects.filter(name="runbook").exists()


def test_only_administrators_manage_templates(client, make_user):
    client.force_login(make_user("mei"))
    assert client.get(reverse("specs:profile_list")).status_code == 403
    assert client.post(reverse("specs:profile_new"), {"name": "x"}).status_code == 403


QUESTIONNAIRE = """# Proposal: <title>

## Summary
<one paragraph>

## Upgrade strategy
If applicable, how will the component be upgraded?

## How is it enabled?
Pick one of these and delete the rest.
- [ ] Feature gate
- [ ] Other

## Checklist
- [ ] (R) Design approved
- [ ] Docs written
"""


def test_the_preview_shows_requiredness_option_lists_placeholders_and_conditions(client, admin):
    client.force_login(admin)
    toml = '[[sections.conditional]]\npath = "Summary"\nfield = "Status"\nvalues = ["Approved"]\n'
    data = {"name": "kep", "title": "KEP", "template_text": QUESTIONNAIRE, "override_toml": toml}
    page = client.post(reverse("specs:profile_new"), data).content.decode()
    preview = page.split("What the linter will require", 1)[1]  # not the template echoed back
    assert "guidance says &#x27;if applicable" in preview
    assert "option list: one of these answers it" in preview and "Feature gate" in preview
    assert "only the items the template marks required" in preview
    assert "(R) Design approved" in preview and "Docs written" not in preview
    assert "<code>&lt;one paragraph&gt;</code>" in preview
    assert "Conditional sections" in preview and "required only when <code>Status</code>" in preview
