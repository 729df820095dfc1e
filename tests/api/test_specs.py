import io
import json

import pytest
from django.test import Client

from api.models import Scope
from core.models import AuditEvent
from speclint.cli import main as speclint
from speclint.intake import IntakeError, decode_spec_bytes
from specs import permissions
from specs.models import Profile, Spec, SpecVersion
from tests.api.conftest import problem
from tests.conftest import SIMPLE_SPEC

pytestmark = pytest.mark.django_db


def test_list_shows_only_specs_i_can_see_newest_first_a_page_at_a_time(
    make_spec, author, make_user, api_client
):
    for n in range(5):
        make_spec(f"spec-{n}")
    hidden = make_spec("someone-elses", owner=make_user("other"))
    api = api_client(author, Scope.READ)
    seen, cursor = [], None
    while True:
        response = api.get("/api/v1/specs", {"limit": 2, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        body = response.json()
        seen += [item["slug"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"spec-{n}" for n in reversed(range(5))]
    assert hidden.slug not in seen


def test_list_filters_by_state_and_profile(make_spec, author, api_client):
    make_spec("a")
    b = make_spec("b")
    Spec.objects.filter(pk=b.pk).update(state="in_review")
    api = api_client(author, Scope.READ)
    in_review = api.get("/api/v1/specs", {"state": "in_review"}).json()["items"]
    assert [s["slug"] for s in in_review] == ["b"]
    assert api.get("/api/v1/specs", {"profile": "tech-spec"}).json()["items"] == []
    assert len(api.get("/api/v1/specs", {"profile": "generic"}).json()["items"]) == 2


def test_list_refuses_a_forged_cursor_and_an_unknown_state(author, api_client):
    api = api_client(author, Scope.READ)
    forged = api.get("/api/v1/specs", {"cursor": "bm90LWEtY3Vyc29y"})
    assert forged.status_code == 422
    assert problem(forged)["errors"][0]["field"] == "cursor"
    bad_state = api.get("/api/v1/specs", {"state": "shipped"})
    assert bad_state.status_code == 422
    assert problem(bad_state)["errors"][0]["field"] == "state"


def test_list_queries_do_not_grow_with_specs(
    make_spec, author, api_client, django_assert_max_num_queries
):
    for n in range(12):
        make_spec(f"spec-{n}")
    api = api_client(author, Scope.READ)
    # auth lookup, last-used, rate counter, permission query, page, audit
    with django_assert_max_num_queries(8):
        assert len(api.get("/api/v1/specs").json()["items"]) == 12


def test_read_spec_and_unseen_is_404(make_spec, author, make_user, api_client):
    spec = make_spec()
    body = api_client(author, Scope.READ).get(f"/api/v1/specs/{spec.slug}").json()
    assert body["slug"] == spec.slug and body["state"] == "draft" and body["author"] == "author"
    assert body["current_version"]["number"] == 1
    stranger = api_client(make_user("stranger"), Scope.READ)
    unseen = stranger.get(f"/api/v1/specs/{spec.slug}")
    missing = stranger.get("/api/v1/specs/no-such-spec")
    assert unseen.status_code == missing.status_code == 404
    assert problem(unseen) == problem(missing)  # existence is not disclosed


def test_create_spec_makes_me_the_author_with_version_one(author, api_client):
    api = api_client(author, Scope.UPLOAD)
    response = api.post(
        "/api/v1/specs",
        {
            "title": "Payments retry",
            "profile": "generic",
            "content": SIMPLE_SPEC.decode(),
            "note": "v1",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] is True
    assert body["spec"]["slug"] == "payments-retry" and body["version"]["number"] == 1
    assert response["Location"] == "/api/v1/specs/payments-retry/versions/1"
    spec = Spec.objects.get(slug="payments-retry")
    assert spec.author == author and permissions.abilities(author, spec).can_upload
    assert AuditEvent.objects.filter(verb="spec.created", spec_id=spec.pk).exists()


def test_create_spec_needs_the_upload_scope(author, api_client):
    response = api_client(author, Scope.READ).post(
        "/api/v1/specs", {"title": "T", "content": "# T\n"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert problem(response)["type"].endswith(":scope")
    assert not Spec.objects.exists()


def test_create_spec_bad_input_names_the_fields(author, api_client, make_spec):
    api = api_client(author, Scope.UPLOAD)
    missing = api.post("/api/v1/specs", {"title": "  "}, content_type="application/json")
    assert missing.status_code == 422
    fields = {error["field"] for error in problem(missing)["errors"]}
    assert fields == {"title", "content"}
    unknown = api.post(
        "/api/v1/specs",
        {"title": "T", "profile": "nope", "content": "# T\n"},
        content_type="application/json",
    )
    assert unknown.status_code == 422 and problem(unknown)["errors"][0]["field"] == "profile"
    make_spec("taken")
    taken = api.post(
        "/api/v1/specs", {"title": "Taken", "content": "# T\n"}, content_type="application/json"
    )
    assert taken.status_code == 409 and "taken" in problem(taken)["detail"]
    nul = api.post(
        "/api/v1/specs", {"title": "T", "content": "# T\n\x00"}, content_type="application/json"
    )
    assert nul.status_code == 422 and "NUL byte" in problem(nul)["detail"]
    assert Spec.objects.count() == 1


def test_upload_raw_markdown_then_the_same_again_is_not_a_new_version(
    make_spec, author, api_client
):
    spec = make_spec()
    api = api_client(author, Scope.UPLOAD)
    new = SIMPLE_SPEC + b"\n## Rollout\n\nGradual.\n"
    url = f"/api/v1/specs/{spec.slug}/versions?note=adds+rollout&filename=docs/spec.md"
    first = api.post(url, new, content_type="text/markdown")
    assert first.status_code == 201, first.content
    assert first.json()["version"] | {"uploaded_at": None} == first.json()["version"] | {
        "number": 2,
        "note": "adds rollout",
        "filename": "docs/spec.md",
        "uploaded_by": "author",
        "uploaded_at": None,
    }
    again = api.post(url, new, content_type="text/markdown")
    assert again.status_code == 200 and again.json()["created"] is False
    assert SpecVersion.objects.filter(spec=spec).count() == 2


def test_upload_multipart_file_with_a_note(make_spec, author, api_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    spec = make_spec()
    api = api_client(author, Scope.UPLOAD)
    upload = SimpleUploadedFile("spec.md", SIMPLE_SPEC + b"\nMore.\n", "text/markdown")
    response = api.post(f"/api/v1/specs/{spec.slug}/versions", {"file": upload, "note": "from CI"})
    assert response.status_code == 201, response.content
    assert response.json()["version"]["note"] == "from CI"
    assert response.json()["version"]["filename"] == "spec.md"


def test_upload_needs_upload_permission_and_scope_and_hides_unseen_specs(
    make_spec, author, make_user, api_client
):
    spec = make_spec()
    reader = make_user("reader")
    permissions.grant(spec, reader, permissions.SpecAction.VIEW)
    url = f"/api/v1/specs/{spec.slug}/versions"
    body = SIMPLE_SPEC + b"\nx\n"
    refused = api_client(reader).post(url, body, content_type="text/markdown")
    assert refused.status_code == 403 and "upload" in problem(refused)["detail"]
    narrow = api_client(author, Scope.READ).post(url, body, content_type="text/markdown")
    assert narrow.status_code == 403 and problem(narrow)["type"].endswith(":scope")
    unseen = api_client(make_user("stranger")).post(url, body, content_type="text/markdown")
    assert unseen.status_code == 404
    assert SpecVersion.objects.filter(spec=spec).count() == 1


def browser_message(data: bytes) -> str:
    try:
        decode_spec_bytes(data, max_bytes=1024 * 1024)
    except IntakeError as error:
        return error.message
    raise AssertionError("accepted")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"# Title\n\nCaf\xe9 latte\n", "not-utf8"),
        (b"# Title\n\x00\x00", "nul-byte"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "binary"),
        (b"\xff\xfe#\x00 \x00T\x00", "not-utf8"),
        (b"   \n", "empty"),
    ],
)
def test_bad_uploads_get_the_browsers_message_and_write_nothing(
    make_spec, author, api_client, data, kind
):
    spec = make_spec()
    response = api_client(author, Scope.UPLOAD).post(
        f"/api/v1/specs/{spec.slug}/versions", data, content_type="text/markdown"
    )
    assert response.status_code == 422
    body = problem(response)
    assert body["type"].endswith(f":upload-{kind}")
    assert body["detail"] == browser_message(data)
    assert SpecVersion.objects.filter(spec=spec).count() == 1


def test_oversize_upload_is_413_before_the_body_is_read(make_spec, author, api_client, settings):
    settings.SPEC_MAX_UPLOAD_BYTES = 1000
    spec = make_spec()
    response = api_client(author, Scope.UPLOAD).post(
        f"/api/v1/specs/{spec.slug}/versions", b"# T\n" + b"a" * 2000, content_type="text/markdown"
    )
    assert response.status_code == 413
    assert "the limit is 1000 bytes" in problem(response)["detail"]


def test_upload_of_another_media_type_is_415(make_spec, author, api_client):
    spec = make_spec()
    response = api_client(author, Scope.UPLOAD).post(
        f"/api/v1/specs/{spec.slug}/versions", {"a": 1}, content_type="application/json"
    )
    assert response.status_code == 415
    problem(response)


def test_lint_json_is_what_speclint_prints_and_sarif_is_sarif(
    make_spec, author, api_client, tmp_path, monkeypatch
):
    spec = make_spec(data=SIMPLE_SPEC, profile=Profile.objects.get(name="tech-spec"))
    api = api_client(author, Scope.READ)
    lint = api.get(f"/api/v1/specs/{spec.slug}/versions/1/lint")
    assert lint.status_code == 200
    (tmp_path / "payments-retry.md").write_bytes(SIMPLE_SPEC)
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    speclint(["--profile", "tech-spec", "--format", "json", "payments-retry.md"], stdout=out)
    assert lint.json() == json.loads(out.getvalue())
    assert lint.json()["results"][0]["counts"]["error"] > 0  # far from a full tech spec
    sarif = api.get(f"/api/v1/specs/{spec.slug}/versions/1/lint.sarif")
    assert sarif.status_code == 200
    assert sarif["Content-Type"] == "application/sarif+json"
    out = io.StringIO()
    speclint(["--profile", "tech-spec", "--format", "sarif", "payments-retry.md"], stdout=out)
    printed = json.loads(out.getvalue())
    # Only the command line knows where %SRCROOT% is (its working directory); the API does not.
    assert printed["runs"][0].pop("originalUriBaseIds") == {
        "%SRCROOT%": {"uri": tmp_path.as_uri() + "/"}
    }
    assert sarif.json() == printed
    location = sarif.json()["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "payments-retry.md", "uriBaseId": "%SRCROOT%"}


def test_lint_of_an_unseen_spec_or_missing_version_is_404(make_spec, author, make_user, api_client):
    spec = make_spec()
    assert (
        api_client(author, Scope.READ).get(f"/api/v1/specs/{spec.slug}/versions/9/lint").status_code
        == 404
    )
    stranger = api_client(make_user("stranger"), Scope.READ)
    assert stranger.get(f"/api/v1/specs/{spec.slug}/versions/1/lint.sarif").status_code == 404


def test_lint_of_a_version_still_being_analysed_is_409_with_retry_after(
    make_spec, author, api_client
):
    spec = make_spec()
    SpecVersion.objects.filter(spec=spec).update(lint_findings=None)
    response = api_client(author, Scope.READ).get(f"/api/v1/specs/{spec.slug}/versions/1/lint")
    assert response.status_code == 409 and response["Retry-After"] == "5"


def test_sarif_carries_the_crash_finding_the_app_adds(make_spec, author, api_client):
    spec = make_spec()
    crash = {
        "rule": "linter-crashed",
        "severity": "error",
        "line": 1,
        "end_line": 1,
        "column": 1,
        "message": "boom",
        "section": None,
        "suppressed": False,
        "suppression_reason": None,
    }
    SpecVersion.objects.filter(spec=spec).update(lint_findings=[crash])
    sarif = api_client(author, Scope.READ).get(f"/api/v1/specs/{spec.slug}/versions/1/lint.sarif")
    assert sarif.status_code == 200
    assert sarif.json()["runs"][0]["results"][0]["ruleId"] == "linter-crashed"


def test_anonymous_callers_get_401_not_a_login_redirect(make_spec):
    spec = make_spec()
    response = Client().get(f"/api/v1/specs/{spec.slug}")
    assert response.status_code == 401


def test_read_version_and_its_refusals(make_spec, author, make_user, api_client):
    spec = make_spec()
    api = api_client(author, Scope.READ)
    body = api.get(f"/api/v1/specs/{spec.slug}/versions/1").json()
    assert (body["number"], body["uploaded_by"], body["note"]) == (1, "author", "first")
    assert body["sha256"] == SpecVersion.objects.get(spec=spec).sha256
    assert api.get(f"/api/v1/specs/{spec.slug}/versions/2").status_code == 404
    stranger = api_client(make_user("stranger"), Scope.READ)
    assert stranger.get(f"/api/v1/specs/{spec.slug}/versions/1").status_code == 404
    zero = api.get(f"/api/v1/specs/{spec.slug}/versions/0")
    assert zero.status_code == 422 and problem(zero)["errors"][0]["field"] == "number"


def test_a_malformed_address_is_422_not_a_database_error(author, api_client):
    api = api_client(author, Scope.READ)
    response = api.get("/api/v1/specs/bad%00slug")
    assert response.status_code == 422
    assert problem(response)["errors"][0]["field"] == "slug"
    assert api.get("/api/v1/specs/bad%00slug/versions/1/lint").status_code == 422
