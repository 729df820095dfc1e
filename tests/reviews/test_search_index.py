"""`manage.py backfill_search`: the index rebuilt from the rows, resumable, the same as live."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from reviews import actions
from specs import actions as spec_actions
from specs import search
from specs.models import SearchEntry, Spec
from tests.conftest import RACI_SPEC

pytestmark = pytest.mark.django_db


def entries():
    return sorted(
        SearchEntry.objects.values_list(
            "spec__slug", "kind", "version_number", "is_latest", "heading", "body", "anchor",
            "author__username",
        )
    )  # fmt: skip


@pytest.fixture
def discussed(reviewed_spec, people, generic_profile):
    question = actions.add_comment(
        spec=reviewed_spec,
        by=people["jonas"],
        body="What about idempotent retries?",
        expected_version=1,
        line_start=5,
        line_end=5,
    )
    actions.reply(spec=reviewed_spec, parent=question, by=people["aisha"], body="Keyed by id.")
    actions.record_decision(
        spec=reviewed_spec,
        by=people["jonas"],
        expected_version=1,
        date=datetime.date(2026, 10, 1),
        request="Quarterly reconciliation report",
        source="Finance",
        decision="Deferred",
        rationale="Auditors asked for it after the pilot",
        trade_off="One more scheduled job",
    )
    spec_actions.upload_version(
        spec=reviewed_spec, data=(RACI_SPEC + "\nRetries are idempotent.\n").encode(),
        uploaded_by=people["aisha"],
    )  # fmt: skip
    other = spec_actions.create_spec(
        title="Audit trail", slug="audit-trail", profile=generic_profile, author=people["aisha"]
    )
    spec_actions.upload_version(
        spec=other, data=b"# Audit trail\n\n## Context\n\nWho did what.\n",
        uploaded_by=people["aisha"],
    )  # fmt: skip
    return reviewed_spec


def test_backfill_rebuilds_what_the_actions_wrote(discussed, people):
    live = entries()
    assert {kind for _, kind, *_ in live} == {"title", "section", "comment", "decision"}
    SearchEntry.objects.all().delete()
    out = StringIO()
    call_command("backfill_search", "--batch", "1", stdout=out)
    assert entries() == live
    last = Spec.objects.order_by("pk").values_list("pk", flat=True).last()
    assert "2/2 specs" in out.getvalue() and f"resume with --after {last}" in out.getvalue()
    hits = search.search(people["jonas"], "idempotent retries")
    assert {hit.kind for hit in hits} >= {"comment", "section"}
    call_command("backfill_search", stdout=StringIO())  # again: the same rows, no duplicates
    assert entries() == live


def test_a_stopped_backfill_resumes_after_the_last_spec_done(discussed):
    first, second = Spec.objects.order_by("pk")
    live = entries()
    SearchEntry.objects.all().delete()
    out = StringIO()
    call_command("backfill_search", "--after", str(first.pk), stdout=out)
    assert {slug for slug, *_ in entries()} == {second.slug}
    assert "1/1 specs" in out.getvalue()
    call_command("backfill_search", "--only-missing", stdout=StringIO())
    assert entries() == live
