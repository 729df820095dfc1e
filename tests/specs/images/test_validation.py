import pytest

from specs.images.validation import MAX_IMAGE_PIXELS, ImageError, check_image
from tests.specs.images import CLEAN_SVG, SCRIPT_SVG, image_bytes, png_bytes


@pytest.mark.parametrize(
    ("kind", "content_type"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif"), ("WEBP", "image/webp")],
)
def test_raster_images_are_typed_by_their_content(kind, content_type):
    checked = check_image("whatever.bin", image_bytes(kind, 30, 20))
    assert (checked.content_type, checked.width, checked.height) == (content_type, 30, 20)
    assert len(checked.sha256) == 64


def test_a_20_mb_file_is_refused_by_size_with_both_figures():
    with pytest.raises(ImageError) as refused:
        check_image("screenshot.png", png_bytes() + b"\0" * (20 * 1024 * 1024))
    assert refused.value.code == "too-large"
    assert "screenshot.png" in refused.value.message
    assert "at most 10.0 MiB" in refused.value.message


def test_a_pdf_named_png_is_not_an_image():
    with pytest.raises(ImageError) as refused:
        check_image("diagram.png", b"%PDF-1.7\n1 0 obj << >> endobj\n")
    assert refused.value.code == "not-an-image"


def test_a_truncated_png_is_not_an_image():
    with pytest.raises(ImageError) as refused:
        check_image("cut.png", png_bytes()[:40])
    assert refused.value.code == "not-an-image"


def test_other_formats_pillow_reads_are_refused():
    with pytest.raises(ImageError) as refused:
        check_image("scan.bmp", image_bytes("BMP"))
    assert refused.value.code == "not-an-image"


def test_a_pixel_bomb_is_refused_from_its_header():
    # 7,000 x 7,000 of one colour compresses to a small file that decodes to 147 MB.
    bomb = png_bytes(7000, 7000, (0, 0, 0))
    assert len(bomb) < 1024 * 1024 and MAX_IMAGE_PIXELS < 7000 * 7000
    with pytest.raises(ImageError) as refused:
        check_image("bomb.png", bomb)
    assert refused.value.code == "too-many-pixels"
    assert "7,000 by 7,000" in refused.value.message


def test_a_clean_svg_is_accepted_with_its_size():
    checked = check_image("flow.svg", CLEAN_SVG)
    assert (checked.content_type, checked.width, checked.height) == ("image/svg+xml", 120, 40)


@pytest.mark.parametrize(
    ("svg", "why"),
    [
        (SCRIPT_SVG, "<script>"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="x()"/></svg>', "onclick"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
            "<foreignObject>",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            b'<image xlink:href="https://evil.example/track.png"/></svg>',
            "links to",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><style>rect{fill:url(https://x.example/a)}'
            b"</style></svg>",
            "style sheet",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg"><text>&a;</text></svg>',
            "DOCTYPE",
        ),
    ],
)
def test_an_svg_that_could_act_is_refused_with_the_reason(svg, why):
    with pytest.raises(ImageError) as refused:
        check_image("evil.svg", svg)
    assert refused.value.code == "unsafe-svg"
    assert why in refused.value.message


def test_xml_that_is_not_svg_is_not_an_image():
    with pytest.raises(ImageError) as refused:
        check_image("data.svg", b"<?xml version='1.0'?><svg-ish><svg/></svg-ish>")
    assert refused.value.code == "not-an-image"
