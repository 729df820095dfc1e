"""Django's admin over the demo company: every registered record can be browsed by staff,
list pages cost a fixed number of queries however many rows they show, and nothing that is
written only through actions (or never rewritten) can be added, changed or deleted here."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.audit import record_event
from core.models import AuditEvent
from notifications.models import Notification
from reviews.models import (
    Comment,
    DecisionEntry,
    GateCheck,
    LintOverride,
    RaciAssignment,
    SignOff,
)
from specs.models import Spec, SpecVersion

pytestmark = pytest.mark.django_db

# Changelist queries with the demo data (session, user, count, page of rows, filter choices):
# fixed, so a list column that queries once per row shows up as a larger number.
CHANGELIST_QUERIES = {
    Spec: 8,
    SpecVersion: 8,
    SignOff: 7,
    DecisionEntry: 5,
    GateCheck: 5,
    LintOverride: 5,
    Comment: 5,
    RaciAssignment: 5,
    AuditEvent: 8,
    Notification: 5,
}


@pytest.fixture
def demo(db, settings):
    # The demo company is slow to build: each test here builds it once and walks every model.
    settings.DEBUG = True  # seed_demo is for development only (it refuses with DEBUG off)
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False
    spec = Spec.objects.order_by("pk").first()
    assert spec is not None
    record_event("admin.test", actor=spec.author, spec_id=spec.pk)


@pytest.fixture
def staff(client, make_user):
    user = make_user("operator", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def base(model) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


def test_staff_browse_every_record_with_lists_in_a_fixed_number_of_queries(client, demo, staff):
    counts, pages = {}, {}
    for model in CHANGELIST_QUERIES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(base(model)).status_code == 200, model
        counts[model] = len(queries)
        one = model._default_manager.order_by("pk").first()
        if one is not None:
            pages[model] = client.get(f"{base(model)}{one.pk}/change/").status_code
    assert counts == CHANGELIST_QUERIES
    # The demo company has every kind of record except decision entries.
    assert pages == {model: 200 for model in CHANGELIST_QUERIES if model not in NOT_IN_DEMO}


NOT_IN_DEMO = {DecisionEntry}


def test_records_written_only_through_actions_cannot_be_written_here(client, demo, staff):
    for model in CHANGELIST_QUERIES:
        one = model._default_manager.order_by("pk").first()
        if one is None:
            continue
        before = model._default_manager.count()
        page = client.get(f"{base(model)}{one.pk}/change/")
        assert b'type="submit"' not in page.content.split(b'id="content-main"')[1], model
        assert client.get(f"{base(model)}add/").status_code == 403, model
        assert client.post(f"{base(model)}add/", {}).status_code == 403, model
        assert client.post(f"{base(model)}{one.pk}/change/", {}).status_code == 403, model
        assert client.post(f"{base(model)}{one.pk}/delete/", {"post": "yes"}).status_code == 403
        client.post(
            base(model), {"action": "delete_selected", "_selected_action": [one.pk], "post": "yes"}
        )
        assert model._default_manager.count() == before, model


def test_the_version_list_never_loads_sources_or_rendered_html(client, demo, staff):
    with CaptureQueriesContext(connection) as queries:
        client.get("/admin/specs/specversion/")
    rows = [
        q["sql"]
        for q in queries
        if 'FROM "specs_specversion"' in q["sql"] and "COUNT" not in q["sql"]
    ]
    assert rows and all(
        '"rendered_html"' not in sql and '"original_bytes"' not in sql for sql in rows
    )


def test_people_who_are_not_staff_are_sent_to_sign_in(client, demo, make_user):
    client.force_login(make_user("reader"))
    response = client.get("/admin/specs/spec/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
