from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from notifications.models import Notification
from specs.models import Spec, SpecVersion
from specs.vocabulary import SpecState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def development(settings):
    settings.DEBUG = True  # pytest-django runs with DEBUG off; seed_demo is for development


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    """Issue 9 item 13: known passwords never reach a production database."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG=1"):
        call_command("seed_demo", stdout=StringIO())
    assert not get_user_model().objects.filter(username="admin").exists()


def test_seed_demo_is_realistic_and_idempotent():
    call_command("seed_demo", stdout=StringIO())
    users, specs, versions = (
        get_user_model().objects.count(),
        Spec.objects.count(),
        SpecVersion.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    assert (
        get_user_model().objects.count(),
        Spec.objects.count(),
        SpecVersion.objects.count(),
    ) == (
        users,
        specs,
        versions,
    )
    assert users >= 11
    assert {s.profile.name for s in Spec.objects.select_related("profile")} >= {
        "tech-spec",
        "ai-spec",
        "python-contract",
        "feature-spec",
    }
    assert set(Spec.objects.values_list("state", flat=True)) == set(SpecState)
    dates = SpecVersion.objects.values_list("uploaded_at", flat=True)
    assert (max(dates) - min(dates)).days > 90  # history spread over months
    assert SpecVersion.objects.filter(number__gte=2).exists()
    # The demo review history writes the e-mails people expect (issue 14).
    events = set(Notification.objects.values_list("event", flat=True))
    assert {"comment_on_my_spec", "thread_reply", "mentioned", "comment_resolved"} <= events
    assert (
        get_user_model().objects.get(username="sofia").get_department_display()
        == "Security/Privacy"
    )


def test_demo_people_can_sign_in(client):
    call_command("seed_demo", "--password", "review-demo-2026", stdout=StringIO())
    response = client.post("/accounts/login/", {"username": "mei", "password": "review-demo-2026"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_drafts_stay_private_to_their_author(client):
    from specs.permissions import visible_specs

    call_command("seed_demo", stdout=StringIO())
    User = get_user_model()
    draft = Spec.objects.filter(state=SpecState.DRAFT).select_related("author").first()
    assert draft is not None
    # Someone neither the author nor in the draft's RACI (RACI members may read drafts).
    outsider = (
        User.objects.exclude(pk=draft.author_id)
        .exclude(is_superuser=True)
        .exclude(pk__in=draft.raci.filter(user__isnull=False).values("user_id"))
        .first()
    )
    assert outsider is not None
    assert draft in visible_specs(draft.author)
    assert draft not in visible_specs(outsider)
    assert visible_specs(outsider).filter(state=SpecState.IN_REVIEW).exists()
