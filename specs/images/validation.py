"""Decide, from its bytes alone, whether an uploaded file is an image we serve; say why not.

Pure: bytes and a name in, a frozen `CheckedImage` or an `ImageError` out. The type comes
from the content (Pillow's parsers, or an XML parse for SVG), never from the file name, so a
PDF renamed ``.png`` is refused. Raster images are limited in bytes and in pixels (a
decompression bomb is a small file that decodes to gigabytes); SVG is accepted only when it
cannot act: no script, no event handler, no foreign object, no reference outside itself.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass, field
from typing import Literal
from xml.etree import ElementTree

from PIL import Image, UnidentifiedImageError

__all__ = [
    "MAX_IMAGE_BYTES",
    "MAX_IMAGE_PIXELS",
    "CheckedImage",
    "ImageError",
    "check_image",
    "refuse_oversize_image",
]

ImageCode = Literal["too-large", "too-many-pixels", "not-an-image", "unsafe-svg", "bad-name"]

MAX_IMAGE_BYTES = 10 * 1024 * 1024
# 40 megapixels: an 8K screenshot is 33; decoded as RGBA that is 160 MB, the most we let one
# reader's browser (or our own verify pass) spend on one picture.
MAX_IMAGE_PIXELS = 40_000_000

RASTER_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
SVG_TYPE = "image/svg+xml"

_SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Elements that run code, embed other documents or pull in other resources.
_SVG_FORBIDDEN_ELEMENTS = frozenset(
    {"script", "foreignObject", "iframe", "embed", "object", "audio", "video", "handler"}
)
_CSS_URL = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import", re.IGNORECASE)
_SVG_LENGTH = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(px)?\s*")


class ImageError(ValueError):
    """A file that cannot be attached; ``message`` is meant for the person uploading."""

    def __init__(self, code: ImageCode, message: str) -> None:
        super().__init__(message)
        self.code: ImageCode = code
        self.message = message


@dataclass(frozen=True)
class CheckedImage:
    data: bytes = field(repr=False)
    sha256: str
    content_type: str
    width: int
    height: int


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def refuse_oversize_image(name: str, size: int, max_bytes: int = MAX_IMAGE_BYTES) -> None:
    """Refuse by size alone, before anyone reads the file into memory."""
    if size > max_bytes:
        raise ImageError(
            "too-large",
            f"“{name}” is {_megabytes(size)} ({size:,} bytes); an image may be at most "
            f"{_megabytes(max_bytes)} ({max_bytes:,} bytes). Export it smaller or crop it.",
        )


def check_image(
    name: str,
    data: bytes,
    *,
    max_bytes: int = MAX_IMAGE_BYTES,
    max_pixels: int = MAX_IMAGE_PIXELS,
) -> CheckedImage:
    refuse_oversize_image(name, len(data), max_bytes)
    if _looks_like_svg(data):
        content_type, width, height = SVG_TYPE, *_check_svg(name, data)
    else:
        content_type, width, height = _check_raster(name, data, max_pixels)
    return CheckedImage(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=content_type,
        width=width,
        height=height,
    )


def _check_raster(name: str, data: bytes, max_pixels: int) -> tuple[str, int, int]:
    not_an_image = ImageError(
        "not-an-image",
        f"“{name}” is not a PNG, JPEG, GIF, WebP or SVG image (whatever its name says).",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Opening reads the header only: the dimensions are known before any pixel is.
            with Image.open(io.BytesIO(data), formats=list(RASTER_TYPES)) as image:
                width, height = image.size
                _refuse_too_many_pixels(name, width, height, max_pixels)
                image.verify()  # checksums and structure, still without decoding the pixels
                kind = image.format
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(
            "too-many-pixels", f"“{name}” has too many pixels to show safely."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image from None
    if kind not in RASTER_TYPES:
        raise not_an_image
    return RASTER_TYPES[kind], width, height


def _refuse_too_many_pixels(name: str, width: int, height: int, max_pixels: int) -> None:
    if width * height > max_pixels:
        raise ImageError(
            "too-many-pixels",
            f"“{name}” is {width:,} by {height:,} pixels ({width * height / 1e6:.0f} megapixels); "
            f"the limit is {max_pixels / 1e6:.0f} megapixels. Scale it down.",
        )


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in (
        data[:4096].lower()
    )


def _check_svg(name: str, data: bytes) -> tuple[int, int]:
    def unsafe(why: str) -> ImageError:
        return ImageError(
            "unsafe-svg",
            f"“{name}” is an SVG that {why}; SVG images may not run scripts or load anything. "
            "Export it again without them, or as PNG.",
        )

    try:
        # UTF-8 only, so that the DOCTYPE test below sees what the parser will see.
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImageError("not-an-image", f"“{name}” is an SVG that is not UTF-8.") from None
    if "<!doctype" in source.lower() or "<!entity" in source.lower():
        # Entities are how XML bombs and external file reads work; diagrams do not need them.
        raise unsafe("declares a DOCTYPE or entities")
    try:
        # Safe without defusedxml: with no DOCTYPE there are no entities to expand or fetch.
        root = ElementTree.fromstring(source)  # noqa: S314
    except ElementTree.ParseError:
        raise ImageError("not-an-image", f"“{name}” is not well-formed SVG.") from None
    if root.tag != f"{_SVG_NAMESPACE}svg":
        raise ImageError("not-an-image", f"“{name}” is XML but not an SVG image.")
    for element in root.iter():
        tag = element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""
        if tag in _SVG_FORBIDDEN_ELEMENTS:
            raise unsafe(f"contains a <{tag}> element")
        if tag == "style" and _unsafe_css(element.text or ""):
            raise unsafe("has a style sheet that loads another file")
        for attribute, value in element.attrib.items():
            local = attribute.rpartition("}")[2]
            if local.lower().startswith("on"):
                raise unsafe(f"has an event handler ({local})")
            if attribute in (_XLINK_HREF, "href") and not value.strip().startswith("#"):
                raise unsafe(f"links to {value[:60]!r}")
            if local == "style" and _unsafe_css(value):
                raise unsafe("has a style that loads another file")
    return _svg_length(root.get("width")), _svg_length(root.get("height"))


def _unsafe_css(css: str) -> bool:
    return bool(_CSS_URL.search(css) or _CSS_IMPORT.search(css))


def _svg_length(value: str | None) -> int:
    # 0 when the SVG scales to fit (no width, or a percentage): the browser decides.
    match = _SVG_LENGTH.fullmatch(value or "")
    return round(float(match.group(1))) if match else 0
