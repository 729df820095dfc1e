from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from specs.rendering import render_markdown
from tests.seeds import SEEDS

pytestmark = pytest.mark.django_db


def test_upload_spec_adds_the_next_version(make_spec, author, tmp_path):
    spec = make_spec()
    path = tmp_path / "v2.md"
    path.write_bytes(b"# Payments retry service\n\nSecond version.\n")
    out = StringIO()
    call_command(
        "upload_spec",
        spec.slug,
        str(path),
        "--as",
        author.username,
        "--note",
        "by script",
        stdout=out,
    )
    assert "uploaded version 2" in out.getvalue()
    version = spec.versions.get(number=2)
    assert version.note == "by script" and version.original_filename == "v2.md"


def test_upload_spec_refuses_bad_input_with_the_reason(make_spec, author, tmp_path):
    spec = make_spec()
    path = tmp_path / "bad.md"
    path.write_bytes(b"# Caf\xe9\n")
    with pytest.raises(CommandError, match="not valid UTF-8"):
        call_command("upload_spec", spec.slug, str(path), "--as", author.username)
    assert spec.versions.count() == 1


def test_upload_spec_refuses_people_without_upload_permission(make_spec, make_user, tmp_path):
    spec = make_spec()
    make_user("stranger")
    path = tmp_path / "v2.md"
    path.write_bytes(b"# Other\n")
    with pytest.raises(CommandError, match="may not upload"):
        call_command("upload_spec", spec.slug, str(path), "--as", "stranger")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_render_spec_prints_what_the_page_embeds(seed, capsys):
    call_command("render_spec", str(seed))
    printed = capsys.readouterr().out
    from speclint.intake import decode_spec_bytes

    assert printed == render_markdown(decode_spec_bytes(seed.read_bytes()).text).html
    assert "<h1" in printed
