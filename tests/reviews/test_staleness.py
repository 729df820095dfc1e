"""Across versions: an approval covers the text it approved, vetoes stick (issue 12)."""

from pathlib import Path

import pytest

from core.models import AuditEvent
from notifications.models import Notification
from reviews import actions
from reviews.models import GateCheck, SignOff
from reviews.rules.signoffs import CellState, MatrixCell, signoff_matrix
from reviews.snapshot import load_review
from specs import actions as spec_actions
from specs.models import Profile, Spec
from tests.conftest import RACI_SPEC

pytestmark = pytest.mark.django_db

V1 = (Path(__file__).parents[2] / "demo/specs/ledger-export-gdpr/v1.md").read_text()
SECURITY_LINE = (
    "  * T4: CSV formula injection when auditors open files in Excel → cell escaping as above."
)
# v2 edits one line of §14 Security Considerations, and nothing else.
V2 = V1.replace(SECURITY_LINE, SECURITY_LINE + "\n  * T5: replayed links → single-use tokens.")
CONTEXT_START = "Tenants who need their full ledger, for an audit, a migration or an access request"
# v3 re-wraps a paragraph of §1: the same words on two lines.
V3 = V2.replace(CONTEXT_START, CONTEXT_START.replace("a migration or", "a migration\nor"))

PEOPLE = {
    "mei": ("Mei", "Chen"),
    "priya": ("Priya", "Raman"),
    "tomas": ("Tomás", "Álvarez"),
    "diego": ("Diego", "Santos"),
    "jonas": ("Jonas", "Müller"),
    "aisha": ("Aisha", "Okafor"),
    "lukas": ("Lukas", "Novak"),
    "kenji": ("Kenji", "Watanabe"),
    "sofia": ("Sofia", "Rossi"),
    "fatima": ("Fatima", "Haddad"),
}


@pytest.fixture
def team(make_user):
    return {u: make_user(u, first_name=f, last_name=last) for u, (f, last) in PEOPLE.items()}


def fresh(spec):
    return Spec.objects.with_current_version().get(pk=spec.pk)


def sign(spec, who, area, role, decision="approve", comment=""):
    actions.sign_off(
        spec=spec,
        area=area,
        role=role,
        decision=decision,
        comment=comment,
        by=who,
        expected_version=fresh(spec).current_version.number,
    )


def upload(spec, text, team):
    spec_actions.upload_version(spec=spec, data=text.encode(), uploaded_by=team["mei"])


@pytest.fixture
def signed_in_four_areas(team):
    """A tech-spec by Mei, submitted, approved on v1 by all four Accountables, with Diego's
    concerns (Product, Consulted) and two gate ticks."""
    spec = spec_actions.create_spec_with_version(
        title="Ledger export",
        slug="ledger-export",
        profile=Profile.objects.get(name="tech-spec"),
        author=team["mei"],
        data=V1.encode(),
    )
    version = fresh(spec).current_version
    assert version.lint_errors == 1  # the demo's deliberate bad date
    actions.record_lint_override(
        version=version, by=team["jonas"], reason="The date is quoted from a partner contract"
    )
    actions.transition(
        spec=spec, name="submit", by=team["mei"], expected_row_version=fresh(spec).row_version
    )
    for who, area in (
        ("tomas", "Product"),
        ("jonas", "Engineering"),
        ("sofia", "Security/Privacy"),
        ("fatima", "Support/Ops"),
    ):
        sign(spec, team[who], area, "A")
    sign(spec, team["diego"], "Product", "C", "concerns", "Who owns the auditor profile?")
    for item in (
        "Architecture is clear and diagrammed",
        "Security threats are identified and mitigations listed",
    ):
        actions.tick_gate(
            spec=spec,
            item=item,
            state="checked",
            reason="",
            by=team["jonas"],
            expected_version=1,
            expected_revision=0,
        )
    return spec


def cells(spec) -> dict[tuple[str, str], MatrixCell]:
    matrix = signoff_matrix(load_review(fresh(spec)).snapshot)
    return {(row.area, cell.name.split()[0]): cell for row in matrix for cell in row.cells}


def test_editing_only_security_leaves_the_other_areas_signed_and_stales_security(
    signed_in_four_areas, team
):
    spec = signed_in_four_areas
    upload(spec, V2, team)
    now = cells(spec)
    for area, who in (("Product", "Tomás"), ("Engineering", "Jonas"), ("Support/Ops", "Fatima")):
        cell = now[(area, who)]
        assert cell.state is CellState.APPROVED, area
        assert cell.label == "approved on v1, carried: its sections are unchanged"
    security = now[("Security/Privacy", "Sofia")]
    assert security.state is CellState.STALE and security.stale_from == 1
    carried = AuditEvent.objects.get(verb="signoff.carried", version_number=2)
    assert [row[0] for row in carried.data["stale"]] == ["Security/Privacy"]
    assert "security considerations" in carried.data["stale"][0][3]


def test_a_rewrap_only_version_changes_nothing(signed_in_four_areas, team):
    spec = signed_in_four_areas
    upload(spec, V2, team)
    before = {key: (c.state, c.carried_from) for key, c in cells(spec).items()}
    upload(spec, V3, team)
    assert fresh(spec).current_version.number == 3
    after = {key: (c.state, c.carried_from) for key, c in cells(spec).items()}
    assert after == before


def test_a_veto_on_v1_is_still_in_force_on_v3_until_withdrawn(signed_in_four_areas, team):
    spec = signed_in_four_areas
    upload(spec, V2, team)
    upload(spec, V3, team)
    veto = cells(spec)[("Product", "Diego")]
    assert veto.state is CellState.CONCERNS
    assert veto.label == "concerns on v1, still in force"
    actions.withdraw_signoff(
        spec=spec, area="Product", role="C", by=team["diego"], expected_version=3
    )
    assert cells(spec)[("Product", "Diego")].state is CellState.PENDING
    assert AuditEvent.objects.filter(verb="signoff.withdrawn").count() == 1
    with pytest.raises(actions.ReviewError, match="no decision"):
        actions.withdraw_signoff(
            spec=spec, area="Product", role="C", by=team["diego"], expected_version=3
        )


def test_a_stale_signer_re_confirms_in_one_step(signed_in_four_areas, team):
    spec = signed_in_four_areas
    upload(spec, V2, team)
    sign(spec, team["sofia"], "Security/Privacy", "A")
    cell = cells(spec)[("Security/Privacy", "Sofia")]
    assert cell.state is CellState.APPROVED and cell.carried_from is None


def test_gate_ticks_carry_only_where_their_sections_are_unchanged(signed_in_four_areas, team):
    spec = signed_in_four_areas
    upload(spec, V2, team)
    on_v2 = {c.item: c for c in GateCheck.objects.filter(version=fresh(spec).current_version)}
    assert on_v2["Architecture is clear and diagrammed"].carried_from == 1
    assert "Security threats are identified and mitigations listed" not in on_v2


def test_the_lint_override_carries_while_no_new_error_appears(signed_in_four_areas, team):
    spec = signed_in_four_areas
    upload(spec, V2, team)
    review = load_review(fresh(spec))
    assert review.snapshot.lint_override and review.override_carried_from == 1
    broken = V2.replace("## 9) System Architecture", "## 9) System Architecture\n\nDue 2026-13-45.")
    upload(spec, broken, team)
    review = load_review(fresh(spec))
    assert not review.snapshot.lint_override
    assert review.new_lint_errors  # and they are the new paragraph's, nothing v1 already had
    assert all("System Architecture" in f["section"] for f in review.new_lint_errors)


def test_a_strict_profile_stales_every_approval_on_any_change(people, make_user):
    profile = spec_actions.create_profile(
        name="strict-ledger",
        title="Strict ledger",
        template=RACI_SPEC,
        override_toml='[review]\nstaleness = "strict"\n',
        created_by=people["jonas"],
    )
    spec = spec_actions.create_spec_with_version(
        title="Strict",
        slug="strict",
        profile=profile,
        author=people["aisha"],
        data=RACI_SPEC.encode(),
    )
    version = fresh(spec).current_version
    actions.record_lint_override(
        version=version, by=people["jonas"], reason="The template is deliberately minimal here"
    )
    actions.transition(
        spec=spec, name="submit", by=people["aisha"], expected_row_version=fresh(spec).row_version
    )
    sign(spec, people["jonas"], "Engineering", "A")
    spec_actions.upload_version(
        spec=spec, data=(RACI_SPEC + "\nA footnote.\n").encode(), uploaded_by=people["aisha"]
    )
    assert not SignOff.objects.current().filter(version=fresh(spec).current_version).exists()


def test_the_page_offers_what_changed_since_i_looked_my_sections_first(
    client, signed_in_four_areas, team
):
    spec = signed_in_four_areas
    client.force_login(team["sofia"])
    assert "You last looked" not in client.get(spec.get_absolute_url()).content.decode()
    upload(spec, V2, team)
    html = client.get(spec.get_absolute_url()).content.decode()
    assert "You last looked at v1." in html
    assert "from=1&amp;to=2&amp;section=data+lifecycle+%26+retention" in html
    # Her stale sign-off links to the same diff of her sections, and offers a re-confirm.
    assert "See what changed in your sections" in html and "Re-confirm" in html
    diff = client.get(
        f"/specs/{spec.slug}/diff/?from=1&to=2&section=security+considerations"
    ).content.decode()
    assert "T5: replayed links" in diff and "Showing only the changes in" in diff
    assert "You last looked" not in client.get(spec.get_absolute_url()).content.decode()


def test_the_author_adjusts_an_areas_sections_and_it_is_audited(client, signed_in_four_areas, team):
    spec = signed_in_four_areas
    client.force_login(team["mei"])
    url = f"/specs/{spec.slug}/raci/sections/"
    data = {"area": "Product", "sections": "Summary\nKill Criteria", "row_version": 0}
    data["row_version"] = fresh(spec).row_version
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert (
        response.status_code == 200 and "Sections of Product updated." in response.content.decode()
    )
    event = AuditEvent.objects.get(verb="raci.sections_set")
    assert event.data == {"area": "Product", "sections": ["summary", "kill criteria"]}
    data.update(sections="No Such Section", row_version=fresh(spec).row_version)
    refused = client.post(url, data, HTTP_HX_REQUEST="true")
    assert (
        refused.status_code == 403 and "has no section No Such Section" in refused.content.decode()
    )
    client.force_login(team["jonas"])  # a reviewer does not decide what their approval covers
    assert client.post(url, data, HTTP_HX_REQUEST="true").status_code == 403


def test_the_new_version_email_links_to_the_changes_since_each_person_looked(
    signed_in_four_areas, team
):
    spec = signed_in_four_areas
    upload(spec, V2, team)
    actions.note_seen(user=team["jonas"], spec=spec, version_number=2)  # Jonas opened v2
    upload(spec, V3, team)
    on_v3 = Notification.objects.filter(event="version_uploaded", version_number=3)
    since = {n.recipient.username: n.context["diff_from"] for n in on_v3}
    assert since["jonas"] == 2
    assert since["sofia"] == 1  # she signed v1 and has not looked since
