"""Images in the Markdown: attached files from the app, other hosts as links, the rest named."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from specs.rendering import render_markdown
from specs.rendering.images import attachment_path
from specs.rendering.sanitise import sanitise_html

SHA = "ab" * 32


def url_for(path: str) -> str:
    return f"/specs/flow/files/{SHA}/{path}"


def test_a_relative_path_resolves_to_the_attached_files_address():
    document = render_markdown(
        '# T\n\n![Sequence](./img/seq.png "Login")\n', {"img/seq.png": url_for("img/seq.png")}
    )
    assert f'<img src="{url_for("img/seq.png")}" alt="Sequence" title="Login">' in document.html
    assert [(i.src, i.line, i.status, i.path) for i in document.images] == [
        ("./img/seq.png", 3, "attached", "img/seq.png")
    ]


def test_a_folder_in_the_reference_finds_a_file_uploaded_by_its_name():
    document = render_markdown("![x](docs/img/a.png)\n", {"a.png": url_for("a.png")})
    assert f'src="{url_for("a.png")}"' in document.html


def test_another_hosts_image_is_a_link_and_never_an_img():
    html = render_markdown("![Chart](https://grafana.example/chart.png)\n").html
    assert "<img" not in html
    assert (
        '<a class="image-link" href="https://grafana.example/chart.png" '
        'rel="noopener noreferrer nofollow">Chart</a>'
    ) in html


@pytest.mark.parametrize(
    "src",
    [
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "//evil.example/x.png",
        "../../other-spec/x.png",
    ],
)
def test_addresses_that_name_no_attachment_are_refused(src):
    document = render_markdown(f"![alt text]({src})\n", {"x.png": url_for("x.png")})
    assert "<img" not in document.html and "href" not in document.html
    assert "alt text" in document.html
    # markdown-it itself makes no image of javascript: or file: (it stays text); ours refuses
    # the rest.
    assert all(image.status == "refused" for image in document.images)


def test_a_missing_file_is_a_visible_placeholder():
    document = render_markdown("Intro\n\n![Architecture](arch.png)\n", {})
    assert (
        '<span class="image-missing">Architecture (image not attached: arch.png)</span>'
        in document.html
    )
    assert document.images[0].status == "missing" and document.images[0].line == 3


def test_the_sanitiser_keeps_only_attachment_sources():
    kept = sanitise_html(f'<p><img src="{url_for("a.png")}" alt="a"></p>')
    assert f'src="{url_for("a.png")}"' in kept
    for hostile in ["https://evil.example/a.png", "/admin/logout/", "data:image/png;base64,AA"]:
        assert "src=" not in sanitise_html(f'<p><img src="{hostile}" alt="a" onerror="x()"></p>')


@pytest.mark.parametrize(
    ("reference", "path"),
    [
        ("a.png", "a.png"),
        ("./a.png", "a.png"),
        ("/img/a.png", "img/a.png"),
        ("img//a.png?v=2#top", "img/a.png"),
        ("my%20diagram.png", "my diagram.png"),
        ("../a.png", None),
        ("img/../../a.png", None),
        ("", None),
    ],
)
def test_attachment_paths_are_normalised(reference, path):
    assert attachment_path(reference) == path


# The CommonMark 0.31.2 reference examples whose expected HTML holds an image, by number.
COMMONMARK_IMAGE_EXAMPLES = {
    item["example"]: (item["markdown"], item["html"])
    for item in json.loads(
        (Path(__file__).parent / "commonmark_image_examples.json").read_text(encoding="utf-8")
    )["examples"]
}

# Where we differ from the reference on purpose, and why (none of them is about images now).
COMMONMARK_IMAGE_DIFFERENCES = {
    477: "raw HTML is off: the <img> tag is text",
    519: "relative link targets are dropped (a spec has no pages beside it)",
    533: "relative link targets are dropped (a spec has no pages beside it)",
}


class Normalised(HTMLParser):
    """Tags and attributes as a list, with our line attributes dropped and each image address
    mapped back to the path it was attached under; text kept verbatim."""

    def __init__(self, back: dict[str, str]) -> None:
        super().__init__(convert_charrefs=True)
        self.back = back
        self.parts: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        kept = sorted(
            (name, self.back.get(value or "", value) if name == "src" else value)
            for name, value in attrs
            if not name.startswith("data-source")
        )
        self.parts.append(("start", tag, tuple(kept)))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.parts.append(("end", tag))

    def handle_data(self, data):
        self.parts.append(("text", data))


def normalised(html: str, back: dict[str, str]) -> list:
    parser = Normalised(back)
    parser.feed(html)
    parser.close()
    return parser.parts


@pytest.mark.parametrize("number", sorted(COMMONMARK_IMAGE_EXAMPLES))
def test_commonmark_image_examples_render_like_the_reference(number):
    markdown, reference = COMMONMARK_IMAGE_EXAMPLES[number]
    # Every image the reference shows is attached to the version under the path it names.
    paths = {
        src: attachment_path(src) or "" for src in re.findall(r'<img src="([^"]*)"', reference)
    }
    attached = {path: url_for(path) for path in paths.values()}
    back = {url_for(path): src for src, path in paths.items()}
    ours = normalised(render_markdown(markdown, attached).html, back)
    same = ours == normalised(reference, {})
    assert same == (number not in COMMONMARK_IMAGE_DIFFERENCES), (ours, reference)


def test_a_file_name_two_attachments_share_does_not_guess():
    attachments = {"a/x.png": url_for("a/x.png"), "b/x.png": url_for("b/x.png")}
    document = render_markdown("![x](x.png)\n\n![x](b/x.png)\n", attachments)
    assert [image.status for image in document.images] == ["missing", "attached"]
