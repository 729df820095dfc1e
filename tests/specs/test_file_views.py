"""The upload form with images, serving attached files, and the diff's image list."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from specs import permissions
from specs.models import ImageBlob, SpecVersion, VersionAttachment
from tests.specs.images import CLEAN_SVG, SCRIPT_SVG, png_bytes

pytestmark = pytest.mark.django_db

TEXT = "# Flow\n\n## Context\n\n![Sequence](seq.png)\n\n![Screen](screen.png)\n"


@pytest.fixture
def signed_in(client, author):
    client.force_login(author)
    return client


def upload(client, spec, text=TEXT, *files):
    return client.post(
        reverse("specs:version_upload", args=[spec.slug]),
        {"text": text, "note": "pictures", "images": list(files)},
    )


def png_file(name, **kwargs):
    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


def test_upload_page_offers_the_image_input(signed_in, make_spec):
    spec = make_spec()
    html = signed_in.get(reverse("specs:version_upload", args=[spec.slug])).content.decode()
    assert 'type="file" name="images"' in html and "multiple" in html
    assert 'data-drop-into="id_images"' in html


def test_a_version_with_two_images_serves_both_from_the_app(signed_in, make_spec):
    spec = make_spec()
    response = upload(signed_in, spec, TEXT, png_file("seq.png"), png_file("screen.png", width=3))
    assert response.status_code == 302
    version = SpecVersion.objects.get(spec=spec, number=2)
    attachments = list(version.attachments.select_related("blob", "version__spec"))
    assert len(attachments) == 2
    for attachment in attachments:
        assert f'src="{attachment.url}"' in version.rendered_html
        served = signed_in.get(attachment.url)
        assert served.status_code == 200
        assert served["Content-Type"] == "image/png"
        assert served["X-Content-Type-Options"] == "nosniff"
        assert served["Content-Disposition"] == f'inline; filename="{attachment.path}"'
        assert served["Content-Security-Policy"].startswith("default-src 'none'")
        assert served["Cache-Control"] == "private, max-age=31536000, immutable"
        assert served.content == bytes(attachment.blob.data)
        again = signed_in.get(attachment.url, HTTP_IF_NONE_MATCH=served["ETag"])
        assert again.status_code == 304 and not again.content


def test_a_20_mb_image_is_refused_with_a_message_and_nothing_is_written(signed_in, make_spec):
    spec = make_spec()
    huge = SimpleUploadedFile("huge.png", png_bytes() + b"\0" * (20 * 1024 * 1024))
    response = upload(signed_in, spec, TEXT, png_file("seq.png"), huge)
    assert response.status_code == 200
    assert "“huge.png” is 20.0 MiB" in response.content.decode()
    assert spec.versions.count() == 1
    assert not ImageBlob.objects.exists()


def test_an_svg_with_a_script_is_refused(signed_in, make_spec):
    spec = make_spec()
    response = upload(signed_in, spec, TEXT, SimpleUploadedFile("seq.svg", SCRIPT_SVG))
    assert "contains a &lt;script&gt; element" in response.content.decode()
    assert spec.versions.count() == 1


def test_a_renamed_pdf_is_refused(signed_in, make_spec):
    spec = make_spec()
    response = upload(signed_in, spec, TEXT, SimpleUploadedFile("seq.png", b"%PDF-1.4 x"))
    assert "is not a PNG, JPEG, GIF, WebP or SVG image" in response.content.decode()
    assert spec.versions.count() == 1


def test_a_clean_svg_is_served_as_a_download_and_sandboxed(signed_in, make_spec):
    spec = make_spec()
    upload(signed_in, spec, "# T\n\n![Flow](flow.svg)\n", SimpleUploadedFile("flow.svg", CLEAN_SVG))
    attachment = VersionAttachment.objects.select_related("blob", "version__spec").get()
    served = signed_in.get(attachment.url)
    assert served["Content-Type"] == "image/svg+xml"
    assert served["Content-Disposition"] == 'attachment; filename="flow.svg"'
    assert "sandbox" in served["Content-Security-Policy"]


def test_files_are_not_found_for_people_who_cannot_see_the_spec(client, make_spec, make_user):
    spec = make_spec()
    client.force_login(spec.author)
    upload(client, spec, TEXT, png_file("seq.png"), png_file("screen.png", width=3))
    url = VersionAttachment.objects.select_related("blob", "version__spec").earliest("pk").url
    client.force_login(make_user("outsider"))
    assert client.get(url).status_code == 404
    reader = make_user("reader")
    permissions.grant(spec, reader, permissions.SpecAction.VIEW)
    client.force_login(reader)
    assert client.get(url).status_code == 200


def test_a_file_of_another_spec_or_path_is_not_found(signed_in, make_spec):
    spec, other = make_spec(), make_spec("other-spec")
    upload(signed_in, spec, TEXT, png_file("seq.png"), png_file("screen.png", width=3))
    attachment = VersionAttachment.objects.select_related("blob").earliest("pk")
    sha = attachment.blob.sha256
    for slug, path in [(other.slug, attachment.path), (spec.slug, "renamed.png")]:
        url = reverse("specs:version_file", args=[slug, sha, path])
        assert signed_in.get(url).status_code == 404


def test_the_diff_shows_changed_images_side_by_side(signed_in, make_spec):
    spec = make_spec()
    upload(signed_in, spec, TEXT, png_file("seq.png"), png_file("screen.png", width=3))
    upload(signed_in, spec, TEXT + "\nMore.\n", png_file("seq.png", width=40))
    response = signed_in.get(reverse("specs:version_diff", args=[spec.slug]) + "?from=2&to=3")
    html = response.content.decode()
    old, new = (
        VersionAttachment.objects.select_related("blob", "version__spec").get(
            version__number=number, path="seq.png"
        )
        for number in (2, 3)
    )
    assert "<code>seq.png</code> changed" in html
    assert f'src="{old.url}" alt="seq.png in v2"' in html
    assert f'src="{new.url}" alt="seq.png in v3"' in html
    assert "screen.png" not in html.split('id="image-changes-title"')[1].split("</section>")[0]


def test_the_preview_shows_the_files_the_text_keeps(signed_in, make_spec):
    spec = make_spec()
    upload(signed_in, spec, TEXT, png_file("seq.png"), png_file("screen.png", width=3))
    response = signed_in.post(
        reverse("specs:version_preview", args=[spec.slug]),
        {"text": "# Flow\n\n![Sequence](seq.png)\n\n![New](new.png)\n"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.count("<img") == 1 and "image not attached: new.png" in html


def test_file_names_with_spaces_quotes_and_accents_round_trip(signed_in, make_spec):
    spec = make_spec()
    names = ["Screen Shot 10.00.png", "it's.png", "ünïcode.png"]
    text = "# T\n\n" + "".join(f"![{n}](<{n}>)\n\n" for n in names)
    files = [png_file(name, width=index + 1) for index, name in enumerate(names)]
    assert upload(signed_in, spec, text, *files).status_code == 302
    version = SpecVersion.objects.get(spec=spec, number=2)
    for attachment in version.attachments.select_related("blob", "version__spec"):
        assert f'src="{attachment.url}"' in version.rendered_html.replace("&amp;", "&")
        assert signed_in.get(attachment.url).status_code == 200, attachment.path
    assert version.attachments.count() == 3


def test_a_file_name_markdown_cannot_spell_is_refused(signed_in, make_spec):
    spec = make_spec()
    response = upload(signed_in, spec, TEXT, png_file("a#b.png"))
    assert "cannot hold # or ?" in response.content.decode()
    assert spec.versions.count() == 1


def test_a_new_spec_can_start_with_images(signed_in, generic_profile):
    response = signed_in.post(
        reverse("specs:spec_new"),
        {
            "title": "Checkout",
            "profile": "generic",
            "text": "# Checkout\n\n![Flow](flow.png)\n",
            "images": [png_file("flow.png")],
        },
    )
    assert response.status_code == 302
    version = SpecVersion.objects.get(spec__slug="checkout")
    assert list(version.attachments.values_list("path", flat=True)) == ["flow.png"]
    assert "<img" in version.rendered_html
