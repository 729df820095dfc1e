"""Uploading versions with images: stored once by content, attached per version, immutable."""

import pytest
from django.db import IntegrityError, connection, transaction

from core.models import AuditEvent
from specs import actions
from specs.images.store import UploadedImage
from specs.images.validation import check_image
from specs.models import ImageBlob, VersionAttachment
from tests.specs.images import png_bytes

pytestmark = pytest.mark.django_db

TWO_IMAGES = b"# Flow\n\n## Context\n\n![Sequence](seq.png)\n\n![Screen](img/screen.png)\n"


def uploaded(path: str, data: bytes) -> UploadedImage:
    return UploadedImage(path=path, image=check_image(path, data))


def files_of(version) -> dict[str, str]:
    return dict(version.attachments.values_list("path", "blob__sha256"))


def test_a_version_attaches_its_images_and_renders_them_from_the_app(make_spec, author):
    spec = make_spec()
    seq, screen = png_bytes(colour=(1, 2, 3)), png_bytes(colour=(4, 5, 6))
    outcome = actions.upload_version(
        spec=spec,
        data=TWO_IMAGES,
        uploaded_by=author,
        images=[uploaded("seq.png", seq), uploaded("screen.png", screen)],
    )
    version = outcome.version
    assert outcome.created and version.number == 2
    assert sorted(files_of(version)) == ["screen.png", "seq.png"]
    for attachment in version.attachments.select_related("blob", "version__spec"):
        assert f'src="{attachment.url}"' in version.rendered_html
        assert attachment.url.startswith(f"/specs/{spec.slug}/files/{attachment.blob.sha256}/")
    assert not [f for f in version.lint_findings or () if f["rule"] == "image-missing"]
    event = AuditEvent.objects.filter(verb="version.uploaded", version_number=2).get()
    assert set(event.data["files"]) == {"seq.png", "screen.png"}


def test_the_same_bytes_are_stored_once_whoever_uploads_them(make_spec, author):
    logo = png_bytes(colour=(9, 9, 9))
    for slug in ("first-spec", "second-spec"):
        spec = make_spec(slug)
        actions.upload_version(
            spec=spec,
            data=b"# T\n\n![Logo](logo.png)\n",
            uploaded_by=author,
            images=[uploaded("logo.png", logo), uploaded("copy.png", logo)],
        )
    assert ImageBlob.objects.count() == 1
    assert VersionAttachment.objects.count() == 4


def test_a_text_only_edit_keeps_the_files_it_still_names(make_spec, author):
    spec = make_spec()
    first = actions.upload_version(
        spec=spec,
        data=TWO_IMAGES,
        uploaded_by=author,
        images=[uploaded("seq.png", png_bytes()), uploaded("screen.png", png_bytes(3, 3))],
    ).version
    edited = actions.upload_version(
        spec=spec, data=b"# Flow\n\n## Context\n\n![Sequence](seq.png)\n", uploaded_by=author
    ).version
    assert files_of(edited) == {"seq.png": files_of(first)["seq.png"]}
    assert "<img" in edited.rendered_html


def test_same_text_with_a_new_image_is_a_new_version_and_without_is_not(make_spec, author):
    spec = make_spec()
    text = b"# T\n\n![Chart](chart.png)\n"
    actions.upload_version(
        spec=spec, data=text, uploaded_by=author, images=[uploaded("chart.png", png_bytes())]
    )
    again = actions.upload_version(spec=spec, data=text, uploaded_by=author)
    assert not again.created
    redrawn = actions.upload_version(
        spec=spec, data=text, uploaded_by=author, images=[uploaded("chart.png", png_bytes(5, 5))]
    )
    assert redrawn.created and redrawn.version.number == 3


def test_a_missing_image_is_a_placeholder_and_a_lint_warning(make_spec, author):
    spec = make_spec()
    version = actions.upload_version(
        spec=spec, data=b"# T\n\n## Design\n\n![Arch](arch.png)\n", uploaded_by=author
    ).version
    assert 'class="image-missing"' in version.rendered_html
    [finding] = [f for f in version.lint_findings or () if f["rule"] == "image-missing"]
    assert (finding["severity"], finding["line"], finding["section"]) == ("warning", 5, "Design")
    assert "arch.png" in finding["message"]
    assert (version.lint_warnings or 0) >= 1


def test_reanalysis_renders_a_version_with_its_own_files(make_spec, author):
    spec = make_spec()
    version = actions.upload_version(
        spec=spec,
        data=b"# T\n\n![Chart](chart.png)\n",
        uploaded_by=author,
        images=[uploaded("chart.png", png_bytes())],
    ).version
    assert actions.reanalyse_version(version.pk, everything=True)
    version.refresh_from_db()
    assert "<img" in version.rendered_html and "image-missing" not in version.rendered_html


def test_files_cannot_be_changed_or_deleted_by_any_code(make_spec, author):
    spec = make_spec()
    actions.upload_version(
        spec=spec,
        data=b"# T\n\n![Chart](chart.png)\n",
        uploaded_by=author,
        images=[uploaded("chart.png", png_bytes())],
    )
    attachment = VersionAttachment.objects.select_related("blob").get()
    for attempt in (
        lambda: ImageBlob.objects.update(data=b"other"),
        lambda: _sql("DELETE FROM specs_imageblob"),  # Django's PROTECT would stop it first
        lambda: VersionAttachment.objects.update(path="evil.png"),
        lambda: VersionAttachment.objects.filter(pk=attachment.pk).delete(),
    ):
        with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
            attempt()
    assert bytes(ImageBlob.objects.get().data) == bytes(attachment.blob.data)


def _sql(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)
