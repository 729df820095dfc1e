"""The README's CI recipe, extracted and run as written against the live test server."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from api.models import Scope
from reviews import actions
from specs.models import Spec, SpecVersion
from tests.conftest import RACI_SPEC, ROOT
from tests.seeds import TECH_SPEC

pytestmark = pytest.mark.django_db(transaction=True)


def recipe() -> str:
    readme = (ROOT / "README.md").read_text()
    block = re.search(
        r"<!-- ci-recipe:start.*?```sh\n(.*?)```\n<!-- ci-recipe:end -->", readme, re.S
    )
    assert block, "the README lost its CI recipe"
    return block.group(1)


def run_recipe(live_server, token: str, slug: str, spec_file: Path) -> subprocess.CompletedProcess:
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",  # speclint
        "HOME": str(spec_file.parent),
        "SPEC_REVIEW_URL": live_server.url,
        "SPEC_REVIEW_TOKEN": token,
        "SPEC_SLUG": slug,
        "SPEC_FILE": str(spec_file),
    }
    return subprocess.run(
        ["bash", "-c", recipe()],
        env=env,
        cwd=spec_file.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def uploader_token(people, issue_token):
    return issue_token(people["aisha"], Scope.UPLOAD).secret


def approve(spec, people):
    def row_version():
        return Spec.objects.get(pk=spec.pk).row_version

    actions.transition(
        spec=spec, name="submit", by=people["aisha"], expected_row_version=row_version()
    )
    for who, area in (("jonas", "Engineering"), ("sofia", "Security/Privacy")):
        actions.sign_off(
            spec=spec,
            area=area,
            role="A",
            decision="approve",
            comment="",
            by=people[who],
            expected_version=1,
        )
    actions.transition(
        spec=spec, name="approve", by=people["sofia"], expected_row_version=row_version()
    )


def test_recipe_pushes_the_version_and_fails_while_not_approved(
    live_server, reviewed_spec, uploader_token, tmp_path
):
    spec_file = tmp_path / "ledger-export.md"
    spec_file.write_text(RACI_SPEC + "\n## Rollout\n\nBehind a flag.\n")
    done = run_recipe(live_server, uploader_token, reviewed_spec.slug, spec_file)
    assert done.returncode == 1, done.stderr
    assert "ledger-export is draft" in done.stdout
    assert '"created":true' in done.stdout
    latest = SpecVersion.objects.filter(spec=reviewed_spec).latest("number")
    assert (latest.number, latest.note) == (2, "CI upload")
    # A re-run of the same job sends the same key and body: replayed, still no v3.
    again = run_recipe(live_server, uploader_token, reviewed_spec.slug, spec_file)
    assert again.returncode == 1
    assert SpecVersion.objects.filter(spec=reviewed_spec).count() == 2


def test_recipe_passes_once_the_spec_is_approved(
    live_server, reviewed_spec, people, uploader_token, tmp_path
):
    approve(reviewed_spec, people)
    spec_file = tmp_path / "ledger-export.md"
    spec_file.write_text(RACI_SPEC)  # what was approved: not a new version, so still approved
    done = run_recipe(live_server, uploader_token, reviewed_spec.slug, spec_file)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ledger-export is approved" in done.stdout


def test_recipe_stops_at_lint_errors_before_sending_anything(
    live_server, reviewed_spec, uploader_token, tmp_path
):
    spec_file = tmp_path / "tech-spec.md"
    spec_file.write_bytes(TECH_SPEC.read_bytes())  # the bare template: placeholders everywhere
    done = run_recipe(live_server, uploader_token, reviewed_spec.slug, spec_file)
    assert done.returncode == 1
    assert "error placeholder" in done.stdout
    assert SpecVersion.objects.filter(spec=reviewed_spec).count() == 1


def test_recipe_fails_on_a_refused_upload(
    live_server, reviewed_spec, people, issue_token, tmp_path
):
    reader = issue_token(people["aisha"], Scope.READ).secret
    spec_file = tmp_path / "ledger-export.md"
    spec_file.write_text(RACI_SPEC + "\nMore.\n")
    done = run_recipe(live_server, reader, reviewed_spec.slug, spec_file)
    assert done.returncode == 22  # curl --fail-with-body on the 403
    assert "scope" in done.stdout
    assert SpecVersion.objects.filter(spec=reviewed_spec).count() == 1
