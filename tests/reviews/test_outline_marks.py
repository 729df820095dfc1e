"""The outline marks the sections changed since the reader last looked (the review page)."""

import re

import pytest
from django.urls import reverse

from reviews.actions import note_seen
from specs import actions as spec_actions
from tests.conftest import RACI_SPEC

pytestmark = pytest.mark.django_db

CONTEXT = "Finance exports the ledger for auditors."
V2 = RACI_SPEC.replace(CONTEXT, CONTEXT + " Monthly, as CSV.")  # changes "Context" only
V3 = V2 + "\n## Rollout\n\nBehind a flag, one tenant first.\n"  # adds a section
MARKED = re.compile(r'<a href="#([^"]+)" data-changed>[^<]*<span class="badge toc-mark">(\w+)')


def upload(spec, text, people):
    spec_actions.upload_version(spec=spec, data=text.encode(), uploaded_by=people["aisha"])


def looked(person, spec, number):
    note_seen(user=person, spec=spec, version_number=number)


def outline(client, spec, number=None) -> str:
    url = (
        reverse("reviews:spec", args=[spec.slug])
        if number is None
        else reverse("reviews:spec_version", args=[spec.slug, number])
    )
    html = client.get(url).content.decode()
    return html[html.index('<nav class="card toc"') : html.index("</nav>", html.index("card toc"))]


def marks(nav: str) -> list[tuple[str, str]]:
    return MARKED.findall(nav)


def test_a_section_changed_since_my_last_look_is_marked_once(client, reviewed_spec, people):
    client.force_login(people["jonas"])
    assert marks(outline(client, reviewed_spec)) == []  # a first visit marks nothing
    upload(reviewed_spec, V2, people)
    nav = outline(client, reviewed_spec)
    assert marks(nav) == [("spec-context", "changed")]
    assert ", 1 changed since v1</span></h2>" in nav
    assert '<span class="visually-hidden"> since v1</span>' in nav  # words, not a colour
    assert '<a href="#spec-context" data-changed-step="1" aria-keyshortcuts="]">' in nav
    # This visit moved "last looked" on: the next one has nothing new to mark.
    assert marks(outline(client, reviewed_spec)) == []


def test_a_new_section_is_marked_new_and_marks_count_from_my_own_last_look(
    client, reviewed_spec, people
):
    upload(reviewed_spec, V2, people)
    looked(people["jonas"], reviewed_spec, 1)
    looked(people["sofia"], reviewed_spec, 2)
    upload(reviewed_spec, V3, people)
    client.force_login(people["jonas"])
    assert marks(outline(client, reviewed_spec)) == [
        ("spec-context", "changed"),
        ("spec-rollout", "new"),
    ]
    # The same version's outline, cached, is not someone else's: Sofia saw v2 already.
    client.force_login(people["sofia"])
    assert marks(outline(client, reviewed_spec)) == [("spec-rollout", "new")]
    client.force_login(people["kenji"])  # never looked: nothing to compare with
    nav = outline(client, reviewed_spec)
    assert marks(nav) == [] and "changed since" not in nav and "data-changed-step" not in nav


def test_an_older_version_or_an_unchanged_one_marks_nothing(client, reviewed_spec, people):
    upload(reviewed_spec, V2, people)
    looked(people["jonas"], reviewed_spec, 1)
    client.force_login(people["jonas"])
    assert marks(outline(client, reviewed_spec, number=1)) == []  # looking back, not catching up
    # Only blank lines changed: a new version, "you last looked at v2", but no section marked.
    upload(reviewed_spec, V2.replace("\n\n## Ownership", "\n\n\n## Ownership"), people)
    looked(people["jonas"], reviewed_spec, 2)
    html = client.get(reverse("reviews:spec", args=[reviewed_spec.slug])).content.decode()
    assert "You last looked at v2." in html
    assert 'class="badge toc-mark"' not in html and "data-changed-step" not in html


def test_marks_cost_no_query_and_the_shortcut_sheet_lists_them(
    client, reviewed_spec, people, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(people["sofia"])
    url = reverse("reviews:spec", args=[reviewed_spec.slug])
    client.get(url)
    looked(people["jonas"], reviewed_spec, 1)
    upload(reviewed_spec, V2, people)
    client.get(url)  # Sofia's visit of v2 (last looked at v1): marks
    with django_assert_max_num_queries(100) as plain:
        html = client.get(url).content.decode()  # her next one: none
    assert 'class="badge toc-mark"' not in html
    client.force_login(people["jonas"])
    with django_assert_num_queries(len(plain.captured_queries)):
        html = client.get(url).content.decode()
    assert 'class="badge toc-mark"' in html
    assert "<dt><kbd>]</kbd> / <kbd>[</kbd></dt>" in html
