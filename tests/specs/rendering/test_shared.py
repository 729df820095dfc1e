import pytest

from speclint.document import document_from_tokens, parse_document
from specs.rendering import render_markdown
from specs.rendering.pipeline import SPEC_PASSES
from specs.rendering.render import render_parsed
from specs.rendering.shared import parse_once

from .corpus import SOURCES

ATTACHMENTS = {"moon.jpg": "/files/moon.jpg"}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_one_parse_gives_the_linter_and_the_renderer_what_their_own_parses_give(name):
    text = SOURCES[name]
    shared = parse_once(text, ATTACHMENTS)
    assert document_from_tokens(shared.text, shared.tokens) == parse_document(text)
    if shared.renderable:
        assert render_parsed(text, shared.tokens, shared.env) == render_markdown(text, ATTACHMENTS)


def test_most_sources_without_raw_html_share_the_parse_with_the_renderer():
    shared = [name for name, text in SOURCES.items() if parse_once(text).renderable]
    assert "generated 75 KB" in shared
    assert "tasks" in shared and "task in a footnote" in shared
    # 652 CommonMark examples, about a tenth of them with raw HTML.
    assert sum(name.startswith("CommonMark") for name in shared) > 550


@pytest.mark.parametrize(
    "text",
    [
        "<div>\nblock\n</div>\n",  # an HTML block: a paragraph with HTML off
        "Owner: <owner name>\n",  # an inline tag: text with HTML off
        "Text\n<!-- speclint-disable todo-marker -->\n",  # a comment ends the paragraph
        "[a <b title=']'>](/x)\n",  # the tag hides the label's end from the link rule
        "# Title\r\n\r\nBody\r\n",  # not normalised: the renderer would count other lines
    ],
)
def test_raw_html_or_unnormalised_text_leaves_the_renderer_its_own_parse(text):
    shared = parse_once(text)
    assert not shared.renderable
    assert document_from_tokens(shared.text, shared.tokens) == parse_document(text)


def test_a_less_than_sign_or_an_autolink_is_not_raw_html():
    for text in ("a < b and 3<4\n", "See <https://example.com>.\n", "x <3 y\n"):
        assert parse_once(text).renderable, text


def test_the_linter_reads_the_tokens_without_changing_them():
    text = SOURCES["tasks"] + "\n[link](#anchor) and ![moon](moon.jpg)\n"
    shared = parse_once(text)
    before = [token.as_dict() for token in shared.tokens]
    document_from_tokens(text, shared.tokens)
    assert [token.as_dict() for token in shared.tokens] == before


def test_the_shared_parser_differs_from_the_renderers_only_in_raw_html():
    from specs.rendering.render import _PARSER as renderer
    from specs.rendering.shared import _PARSER as shared

    def chain(ruler):
        return [rule.name for rule in ruler.__rules__ if rule.enabled]

    for part in (
        lambda md: md.block.ruler,
        lambda md: md.inline.ruler,
        lambda md: md.inline.ruler2,
    ):
        assert chain(part(shared)) == chain(part(renderer))
    # The renderer's own passes come after the common chain; `run_spec_passes` runs them.
    common = chain(shared.core.ruler)
    assert chain(renderer.core.ruler) == common + [name for name, _ in SPEC_PASSES]
    differing = {key for key in renderer.options if renderer.options[key] != shared.options[key]}
    assert differing == {"html", "xhtmlOut"}  # xhtmlOut is read only when rendering
