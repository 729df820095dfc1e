import pytest
from django.urls import reverse

from core.models import AuditEvent
from reviews.models import LintOverride
from specs import actions, permissions

pytestmark = pytest.mark.django_db

BROKEN = (
    b"# Spec\n\nSee [the plan](#no-such-heading).\n"  # broken-anchor: an error in every profile
)


@pytest.fixture
def spec_with_errors(make_spec):
    spec = make_spec(data=BROKEN)
    assert spec.current_version.lint_errors >= 1
    return spec


@pytest.fixture
def reviewer(make_user, spec_with_errors):
    user = make_user("sofia")
    permissions.grant(
        spec_with_errors, user, permissions.SpecAction.VIEW, permissions.SpecAction.REVIEW
    )
    return user


def override_url(spec):
    return reverse("reviews:lint_override", args=[spec.slug, spec.current_version.number])


def test_reviewer_records_an_audited_override_and_the_panel_updates(
    client, reviewer, spec_with_errors
):
    client.force_login(reviewer)
    response = client.post(
        override_url(spec_with_errors),
        {"reason": "The anchor points at a section added in the next release"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card lint-panel"')
    assert "Override by" in html
    override = LintOverride.objects.get(version=spec_with_errors.current_version)
    event = AuditEvent.objects.get(verb="lint.overridden")
    assert (event.actor, event.spec_id, event.data["reason"]) == (
        reviewer,
        spec_with_errors.pk,
        override.reason,
    )


def test_override_without_a_real_reason_is_refused_and_changes_nothing(
    client, reviewer, spec_with_errors
):
    client.force_login(reviewer)
    response = client.post(override_url(spec_with_errors), {"reason": "ok"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Say why" in response.content.decode()
    assert not LintOverride.objects.exists()
    assert not AuditEvent.objects.filter(verb="lint.overridden").exists()


def test_the_author_cannot_override_their_own_lint_errors(client, author, spec_with_errors):
    client.force_login(author)
    response = client.post(
        override_url(spec_with_errors), {"reason": "I know better than the linter here"}
    )
    assert response.status_code == 403
    assert not LintOverride.objects.exists()


def test_outsiders_get_404(client, make_user, spec_with_errors):
    client.force_login(make_user("outsider"))
    response = client.post(
        override_url(spec_with_errors), {"reason": "I know better than the linter here"}
    )
    assert response.status_code == 404


def test_override_form_appears_only_for_reviewers_while_errors_are_open(
    client, reviewer, author, spec_with_errors
):
    url = reverse("reviews:spec", args=[spec_with_errors.slug])
    client.force_login(author)
    assert "Record override" not in client.get(url).content.decode()
    client.force_login(reviewer)
    assert "Record override" in client.get(url).content.decode()
    actions.upload_version(
        spec=spec_with_errors, data=b"# Spec\n\nClean now.\n", uploaded_by=author
    )
    assert "Record override" not in client.get(url).content.decode()
