"""The 404-versus-403 matrix: every action, every role, decided in specs.permissions alone.

An empty POST is used on purpose: whoever may act gets past the permission check to the form,
which refuses it (422, or the upload page's own 200 with errors); whoever may see but not act
gets 403; whoever may not see the spec gets 404, so its existence is not disclosed.
"""

import pytest
from django.contrib.auth.models import Group
from django.http import Http404
from django.urls import reverse
from guardian.core import ObjectPermissionChecker

from core.models import AuditEvent
from reviews import actions
from specs import permissions
from specs.models import Spec

pytestmark = pytest.mark.django_db

ROLES = ("outsider", "informed", "consulted", "accountable", "author")

# view -> expected status per role, in the order of ROLES.
MATRIX = {
    "reviews:transition": (404, 422, 422, 422, 422),  # the transition table decides the rest
    "reviews:sign_off": (404, 403, 422, 422, 403),
    "reviews:tick_gate": (404, 403, 422, 422, 403),
    "reviews:tick_gates": (404, 403, 422, 422, 403),
    "reviews:carry_over_gates": (404, 403, 422, 422, 403),
    "reviews:record_decision": (404, 403, 422, 422, 403),
    "reviews:assign_raci": (404, 403, 403, 403, 422),
    "reviews:unassign_raci": (404, 403, 403, 403, 422),
    "reviews:apply_raci_proposal": (404, 403, 403, 403, 422),
    "reviews:add_comment": (404, 403, 422, 422, 403),
    "reviews:reply_comment": (404, 403, 422, 422, 422),
    "specs:version_upload": (404, 403, 403, 403, 200),
    "specs:version_preview": (404, 403, 403, 403, 200),
}
PERSON = {
    "outsider": "outsider",
    "informed": "priya",
    "consulted": "kenji",
    "accountable": "jonas",
    "author": "aisha",
}


@pytest.mark.parametrize("role", ROLES)
def test_every_action_answers_404_403_or_reaches_its_form(client, reviewed_spec, people, role):
    client.force_login(people[PERSON[role]])
    events_before = AuditEvent.objects.count()
    seen = {
        name: client.post(
            reverse(name, args=[reviewed_spec.slug]), {}, HTTP_HX_REQUEST="true"
        ).status_code
        for name in MATRIX
    }
    expected = {name: row[ROLES.index(role)] for name, row in MATRIX.items()}
    assert seen == expected
    lint = reverse("reviews:lint_override", args=[reviewed_spec.slug, 1])
    lint_expected = {"outsider": 404, "consulted": 422, "accountable": 422}.get(role, 403)
    assert client.post(lint, {}, HTTP_HX_REQUEST="true").status_code == lint_expected
    assert AuditEvent.objects.count() == events_before  # nothing was written by anyone


@pytest.mark.parametrize(("role", "page"), [("outsider", 404), ("informed", 200), ("author", 200)])
def test_every_page_of_a_spec_is_404_to_those_who_may_not_see_it(
    client, reviewed_spec, people, role, page
):
    client.force_login(people[PERSON[role]])
    slug = reviewed_spec.slug
    for url in (
        reverse("reviews:spec", args=[slug]),
        reverse("reviews:spec_version", args=[slug, 1]),
        reverse("specs:version_source", args=[slug, 1]),
        reverse("specs:version_download", args=[slug, 1]),
        reverse("specs:version_diff", args=[slug]),
    ):
        assert client.get(url).status_code == page, url


def test_after_submit_the_rules_not_the_permissions_refuse_self_approval(
    client, reviewed_spec, people
):
    actions.transition(
        spec=reviewed_spec,
        name="submit",
        by=people["aisha"],
        expected_row_version=Spec.objects.get(pk=reviewed_spec.pk).row_version,
    )
    client.force_login(people["aisha"])
    response = client.post(
        reverse("reviews:transition", args=[reviewed_spec.slug]),
        {"name": "approve", "row_version": Spec.objects.get(pk=reviewed_spec.pk).row_version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403


def test_the_floor_view_costs_session_user_and_one_query(
    client, make_spec, author, django_assert_num_queries
):
    spec = make_spec()
    client.force_login(author)
    url = reverse("specs:version_download", args=[spec.slug, 1])
    with django_assert_num_queries(3):  # session, user, the version with its spec and grants
        assert client.get(url).status_code == 200


def test_grants_read_with_the_spec_match_guardian(make_spec, make_user):
    spec = make_spec()
    reader, member, admin = make_user("reader"), make_user("member"), make_user("root")
    admin.is_superuser = True
    admin.save()
    group = Group.objects.create(name="reviewers")
    member.groups.add(group)
    permissions.grant(spec, reader, permissions.SpecAction.VIEW)
    permissions.grant(spec, group, permissions.SpecAction.VIEW, permissions.SpecAction.REVIEW)
    for user in (reader, member, admin, spec.author):
        annotated = permissions.with_grants(Spec.objects.filter(pk=spec.pk), user).get()
        plain = Spec.objects.get(pk=spec.pk)
        assert permissions.abilities(user, annotated) == permissions.abilities(user, plain)
        if not user.is_superuser:
            expected = set(ObjectPermissionChecker(user).get_perms(plain))
            assert {*annotated.user_grants, *annotated.group_grants} == expected
    assert permissions.abilities(member, plain).can_review


def test_grants_read_for_one_person_are_not_used_for_another(make_spec, make_user):
    spec = make_spec()
    stranger = make_user("stranger")
    annotated = permissions.with_grants(Spec.objects.filter(pk=spec.pk), spec.author).get()
    assert permissions.abilities(spec.author, annotated).can_view
    assert not permissions.abilities(stranger, annotated).can_view


def test_a_version_of_an_unseen_spec_or_a_missing_version_is_not_found(make_spec, make_user):
    spec = make_spec()
    with pytest.raises(Http404):
        permissions.get_version_for(make_user("outsider"), spec.slug, 1)
    with pytest.raises(Http404):
        permissions.get_version_for(spec.author, spec.slug, 9)
    version, found, can = permissions.get_version_for(spec.author, spec.slug, 1)
    assert (version.number, found.pk, can.can_upload) == (1, spec.pk, True)


def test_visible_spec_id_lists_are_the_visible_specs_read_from_the_grants(make_spec, make_user):
    shared, own, grouped = make_spec("shared"), make_spec("own"), make_spec("grouped")
    reader, member, reviewer = make_user("reader"), make_user("member"), make_user("reviewer")
    root, retired = make_user("root", is_superuser=True), make_user("retired", is_active=False)
    group = Group.objects.create(name="finance")
    member.groups.add(group)
    permissions.grant(shared, reader, permissions.SpecAction.VIEW)
    permissions.grant(shared, retired, permissions.SpecAction.VIEW)
    permissions.grant(own, reader, permissions.SpecAction.VIEW)
    permissions.grant(grouped, group, permissions.SpecAction.VIEW)
    permissions.grant(grouped, member, permissions.SpecAction.VIEW)  # both ways: one row
    permissions.grant(own, reviewer, permissions.SpecAction.REVIEW)  # no view: not visible
    seen = {}
    for user in (reader, member, reviewer, root, retired, shared.author):
        lists = permissions.visible_spec_id_lists(user)
        ids = {spec_id for ids in lists for row in ids for spec_id in row.values()}
        assert ids == set(permissions.visible_specs(user).values_list("pk", flat=True))
        seen[user.username] = len(ids)
    assert seen == {
        "reader": 2, "member": 1, "reviewer": 0, "root": 3, "retired": 0, shared.author.username: 3
    }  # fmt: skip


def test_specs_reached_are_specs_for_every_reach_and_action(make_spec, make_user, people):
    """The dashboard's statements read `specs_reached(reach(user), action, user.pk)`, compiled
    once with the id as a placeholder; they must be `specs_for` for every kind of user."""
    shared, own, grouped = make_spec("shared"), make_spec("own"), make_spec("grouped")
    mine = make_spec("mine", owner=people["jonas"])
    member, root = make_user("member"), make_user("root", is_superuser=True)
    retired = make_user("retired", is_active=False)
    group = Group.objects.create(name="finance")
    member.groups.add(group)
    for action in permissions.SpecAction:
        permissions.grant(grouped, group, action)
    permissions.grant(shared, people["jonas"], *permissions.SpecAction)
    permissions.grant(own, people["priya"], permissions.SpecAction.REVIEW)  # no view
    permissions.grant(mine, people["jonas"], permissions.SpecAction.REVIEW)  # his own spec
    permissions.grant(shared, retired, permissions.SpecAction.VIEW)
    users = [*people.values(), member, root, retired, shared.author]
    for user in users:
        scope = permissions.reach(user)
        for action in permissions.SpecAction:
            reached = permissions.specs_reached(scope, action, user.pk)
            expected = set(permissions.specs_for(user, action).values_list("pk", flat=True))
            assert set(reached.values_list("pk", flat=True)) == expected, (user, action)
    reached = permissions.specs_reached(permissions.Reach.GRANTED, permissions.SpecAction.REVIEW, 0)
    assert not reached.exists()  # nobody's id: nothing
    assert [permissions.reach(u) for u in (member, root, retired)] == ["granted", "every", "none"]
    jonas = permissions.specs_reached(
        permissions.Reach.GRANTED, permissions.SpecAction.REVIEW, people["jonas"].pk
    )
    assert set(jonas) == {shared}  # a grant on his own spec does not make him its reviewer
