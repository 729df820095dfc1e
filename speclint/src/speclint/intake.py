"""Turn uploaded bytes into spec text, or explain in one sentence why they are not a spec.

Shared by the ``speclint`` command line and the web upload, so both refuse the same files with
the same words. Pure: bytes in, a frozen value or an :class:`IntakeError` out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["IntakeError", "SpecText", "decode_spec_bytes"]

IntakeCode = Literal["too-large", "binary", "nul-byte", "not-utf8", "empty"]
NewlineStyle = Literal["lf", "crlf", "cr", "mixed", "none"]

UTF8_BOM = b"\xef\xbb\xbf"

# Checked in order; the first match wins, so longer or more specific signatures come first.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office document (.doc/.xls/.ppt)"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"PK\x07\x08", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "a Zstandard archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "a Java class file or Mach-O universal binary"),
    (b"\x00asm", "a WebAssembly module"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"OggS", "an Ogg media file"),
    (b"fLaC", "a FLAC audio file"),
    (b"ID3", "an MP3 audio file"),
)

_UTF16_32_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_CONTROL_RATIO_LIMIT = 0.10
_CONTROL_SAMPLE_CHARS = 65_536


class IntakeError(ValueError):
    """Bytes that cannot be accepted as a spec; ``message`` is meant for the person uploading."""

    def __init__(self, code: IntakeCode, message: str) -> None:
        super().__init__(message)
        self.code: IntakeCode = code
        self.message = message


@dataclass(frozen=True)
class SpecText:
    """Decoded spec text: BOM stripped, every line ending turned into ``\\n``."""

    text: str
    had_bom: bool
    newline_style: NewlineStyle


def decode_spec_bytes(data: bytes, *, max_bytes: int | None = None) -> SpecText:
    """Decode an uploaded spec, refusing what is not UTF-8 Markdown text."""
    if max_bytes is not None:
        refuse_oversize(len(data), max_bytes)
    kind = _binary_kind(data)
    if kind is not None:
        raise IntakeError("binary", f"The file is {kind}, not Markdown text.")
    for bom, encoding in _UTF16_32_BOMS:
        if data.startswith(bom):
            raise IntakeError(
                "not-utf8",
                f"The file is {encoding} text (it starts with a {encoding} byte-order mark); "
                "save it as UTF-8 and upload it again.",
            )
    nul_offset = data.find(b"\x00")
    if nul_offset >= 0:
        raise IntakeError(
            "nul-byte",
            f"The file contains a NUL byte at byte offset {nul_offset:,} "
            f"(line {_line_of(data, nul_offset)}); Markdown text never does, "
            "so this is probably a binary file or a UTF-16 file without a byte-order mark.",
        )
    had_bom = data.startswith(UTF8_BOM)
    body = data[len(UTF8_BOM) :] if had_bom else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start + (len(UTF8_BOM) if had_bom else 0)
        raise IntakeError(
            "not-utf8",
            f"The file is not valid UTF-8: byte 0x{data[offset]:02X} at byte offset {offset:,} "
            f"(line {_line_of(data, offset)}) cannot be decoded. It is probably in a "
            "legacy encoding such as Windows-1252 or Latin-1; save it as UTF-8.",
        ) from None
    _refuse_control_heavy(text)
    if not text.strip():
        raise IntakeError(
            "empty",
            "The file is empty." if not text else "The file contains only whitespace.",
        )
    return SpecText(
        text=text.replace("\r\n", "\n").replace("\r", "\n"),
        had_bom=had_bom,
        newline_style=_newline_style(text),
    )


def refuse_oversize(size: int, max_bytes: int) -> None:
    """Refuse a file by its size alone, before anyone reads it into memory."""
    if size > max_bytes:
        raise IntakeError(
            "too-large",
            f"The file is {_human_size(size)} ({size:,} bytes); "
            f"the limit is {_human_size(max_bytes)} ({max_bytes:,} bytes).",
        )


def _binary_kind(data: bytes) -> str | None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            if kind == "a ZIP archive":
                return _zip_kind(data)
            return kind
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}[
            data[8:12]
        ]
    if data[4:8] == b"ftyp":
        return "an MP4/QuickTime media file"
    return None


def _zip_kind(data: bytes) -> str:
    # Office Open XML and OpenDocument files are ZIP archives; their first entries give them away.
    head = data[:4096]
    if b"word/" in head:
        return "a Word document (.docx, a ZIP archive)"
    if b"xl/" in head:
        return "an Excel workbook (.xlsx, a ZIP archive)"
    if b"ppt/" in head:
        return "a PowerPoint presentation (.pptx, a ZIP archive)"
    if b"opendocument" in head:
        return "an OpenDocument file (a ZIP archive)"
    return "a ZIP archive (or a file packed as one, such as .docx or .jar)"


def _refuse_control_heavy(text: str) -> None:
    sample = text[:_CONTROL_SAMPLE_CHARS]
    if not sample:
        return
    controls = sum(
        1
        for char in sample
        if (char < " " and char not in _ALLOWED_CONTROLS) or "\x7f" <= char <= "\x9f"
    )
    ratio = controls / len(sample)
    if ratio > _CONTROL_RATIO_LIMIT:
        raise IntakeError(
            "binary",
            f"The file looks binary: {ratio:.0%} of its first {len(sample):,} characters are "
            "control characters, which Markdown text does not contain.",
        )


def _newline_style(text: str) -> NewlineStyle:
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    lone_lf = text.count("\n") - crlf
    styles = [style for style, count in (("crlf", crlf), ("cr", lone_cr), ("lf", lone_lf)) if count]
    if not styles:
        return "none"
    if len(styles) > 1:
        return "mixed"
    style = styles[0]
    return "crlf" if style == "crlf" else "cr" if style == "cr" else "lf"


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / (1024 * 1024):.1f} MiB"
