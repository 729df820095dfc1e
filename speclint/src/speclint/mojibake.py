"""Find and repair UTF-8 text that was decoded as Windows-1252, Latin-1 or Mac Roman.

Each damaged character is a short run of non-ASCII characters whose bytes, in the wrong
encoding, form one valid UTF-8 sequence. The scan is a single left-to-right pass: at every
non-ASCII character it tries to read one UTF-8 sequence and never backtracks further.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["MojibakeSpan", "find_mojibake", "repair_mojibake"]

# Windows-1252 leaves these five bytes undefined; decoders usually drop them, which is why the
# keycap emoji 1-FE0F-20E3 so often arrives with the 0x8F of its FE0F missing.
_CP1252_DROPPED = (0x9D, 0x8F, 0x81, 0x8D, 0x90)


def _cp1252_byte(char: str) -> int | None:
    try:
        return char.encode("cp1252")[0]
    except UnicodeEncodeError:
        code = ord(char)
        # Latin-1 decoders keep the C1 controls that cp1252 leaves undefined.
        return code if 0x80 <= code <= 0x9F else None


def _mac_roman_byte(char: str) -> int | None:
    try:
        return char.encode("mac_roman")[0]
    except UnicodeEncodeError:
        return None


_CODECS: tuple[tuple[str, Callable[[str], int | None]], ...] = (
    ("Windows-1252", _cp1252_byte),
    ("Mac Roman", _mac_roman_byte),
)


@dataclass(frozen=True)
class MojibakeSpan:
    start: int
    end: int
    damaged: str
    repaired: str
    encoding: str


def _sequence_length(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _plausible(repaired: str) -> bool:
    """Repaired characters that real documents contain; rules out accidental letter pairs."""
    for char in repaired:
        code = ord(char)
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cn", "Co", "Cs"):
            return False
        if not (
            0xA0 <= code <= 0x24F
            or 0x2000 <= code <= 0x2BFF
            or 0xFE00 <= code <= 0xFE0F
            or 0x1F000 <= code <= 0x1FAFF
        ):
            return False
    return True


def _decode_at(
    text: str, index: int, to_byte: Callable[[str], int | None], allow_dropped: bool
) -> tuple[int, str] | None:
    """Try to read one damaged character at ``index``; return (end, repaired) or None."""
    lead = to_byte(text[index])
    if lead is None:
        return None
    length = _sequence_length(lead)
    if not length:
        return None
    raw = [lead]
    end = index + 1
    while len(raw) < length and end < len(text):
        value = to_byte(text[end]) if ord(text[end]) >= 0x80 else None
        if value is None or not 0x80 <= value <= 0xBF:
            break
        raw.append(value)
        end += 1
    candidates: list[bytes] = []
    if len(raw) == length:
        candidates.append(bytes(raw))
    elif allow_dropped and len(raw) >= 2 and len(raw) == length - 1:
        # Most dropped bytes are the last of the sequence (closing quotes, variation selectors).
        for position in range(length - 1, 0, -1):
            for dropped in _CP1252_DROPPED:
                candidates.append(bytes([*raw[:position], dropped, *raw[position:]]))
    for candidate in candidates:
        try:
            repaired = candidate.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if _plausible(repaired):
            return end, repaired
    return None


def find_mojibake(text: str) -> list[MojibakeSpan]:
    """Damaged runs in ``text``, adjacent damaged characters merged into one span."""
    spans: list[MojibakeSpan] = []
    index = 0
    length = len(text)
    while index < length:
        if ord(text[index]) < 0x80:
            index += 1
            continue
        for encoding, to_byte in _CODECS:
            decoded = _decode_at(text, index, to_byte, encoding == "Windows-1252")
            if decoded is not None:
                end, repaired = decoded
                previous = spans[-1] if spans else None
                if previous and previous.end == index and previous.encoding == encoding:
                    spans[-1] = MojibakeSpan(
                        previous.start,
                        end,
                        text[previous.start : end],
                        previous.repaired + repaired,
                        encoding,
                    )
                else:
                    spans.append(MojibakeSpan(index, end, text[index:end], repaired, encoding))
                index = end
                break
        else:
            index += 1
    return spans


def repair_mojibake(text: str) -> str:
    """``text`` with every damaged run replaced by what it was meant to say."""
    if text.isascii():
        return text
    spans = find_mojibake(text)
    if not spans:
        return text
    pieces: list[str] = []
    cursor = 0
    for span in spans:
        pieces.append(text[cursor : span.start])
        pieces.append(span.repaired)
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)
