"""Image files for the tests, made with Pillow so each is a real, decodable file."""

from __future__ import annotations

import io

from PIL import Image


def png_bytes(width: int = 12, height: int = 8, colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def image_bytes(kind: str, width: int = 12, height: int = 8) -> bytes:
    buffer = io.BytesIO()
    mode = "P" if kind == "GIF" else "RGB"
    Image.new(mode, (width, height)).save(buffer, kind)
    return buffer.getvalue()


CLEAN_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
    b'<rect width="100" height="30" fill="#36c"/><use href="#r"/></svg>'
)
SCRIPT_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)
