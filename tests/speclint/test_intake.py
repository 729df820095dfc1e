import pytest

from speclint.intake import IntakeError, SpecText, decode_spec_bytes


def _refusal(data: bytes, **kwargs: int) -> IntakeError:
    with pytest.raises(IntakeError) as caught:
        decode_spec_bytes(data, **kwargs)
    return caught.value


def test_plain_utf8_text_is_accepted_as_is():
    spec = decode_spec_bytes("# Spec\n\nMüller façade 日本語\n".encode())
    assert spec == SpecText("# Spec\n\nMüller façade 日本語\n", had_bom=False, newline_style="lf")


def test_bom_is_stripped_and_remembered():
    spec = decode_spec_bytes(b"\xef\xbb\xbf# Spec\n")
    assert spec.text == "# Spec\n"
    assert spec.had_bom


@pytest.mark.parametrize(
    ("data", "style"),
    [(b"a\r\nb\r\n", "crlf"), (b"a\rb\r", "cr"), (b"a\nb\r\n", "mixed"), (b"abc", "none")],
)
def test_line_endings_become_lf_and_keep_the_line_count(data, style):
    spec = decode_spec_bytes(data)
    assert spec.newline_style == style
    assert "\r" not in spec.text
    assert spec.text.count("\n") == data.count(b"\n") + data.replace(b"\r\n", b"").count(b"\r")


def test_too_large_names_size_and_limit():
    error = _refusal(b"x" * 2048, max_bytes=1024)
    assert error.code == "too-large"
    assert "2,048 bytes" in error.message
    assert "1,024 bytes" in error.message


def test_size_is_checked_before_anything_else():
    assert _refusal(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, max_bytes=10).code == "too-large"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"GIF89a\x01\x00", "GIF"),
        (b"%PDF-1.7\n", "PDF"),
        (b"PK\x03\x04\x14\x00word/document.xml", "Word document"),
        (b"PK\x03\x04\x14\x00other", "ZIP"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"\x7fELF\x02\x01", "ELF"),
    ],
)
def test_known_binary_signatures_are_named(data, kind):
    error = _refusal(data)
    assert error.code == "binary"
    assert kind in error.message


def test_nul_byte_reports_its_offset_and_line():
    error = _refusal(b"# Title\nab\x00cd")
    assert error.code == "nul-byte"
    assert "offset 10" in error.message
    assert "line 2" in error.message


def test_invalid_utf8_reports_byte_and_offset():
    error = _refusal("# Café\n".encode("cp1252"))
    assert error.code == "not-utf8"
    assert "0xE9" in error.message
    assert "offset 5" in error.message


def test_utf16_is_recognised_by_its_byte_order_mark():
    error = _refusal("# Spec\n".encode("utf-16"))
    assert error.code == "not-utf8"
    assert "UTF-16" in error.message


def test_control_characters_mark_unknown_binaries():
    error = _refusal(bytes(range(1, 9)) * 50 + b"text")
    assert error.code == "binary"
    assert "control characters" in error.message


def test_a_few_control_characters_are_tolerated():
    assert decode_spec_bytes(b"# Spec\n" + b"word " * 100 + b"\x1b[0m\n").text.startswith("# Spec")


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", b"\xef\xbb\xbf"])
def test_empty_or_blank_files_are_refused(data):
    assert _refusal(data).code == "empty"


def test_error_is_a_value_error_with_the_message_as_text():
    error = _refusal(b"")
    assert isinstance(error, ValueError)
    assert str(error) == error.message
