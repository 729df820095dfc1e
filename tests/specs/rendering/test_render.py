import re
from pathlib import Path

import pytest

from specs.rendering import render_markdown
from specs.rendering.front_matter import MAX_VALUE_CHARS
from specs.rendering.slugs import Slugger, github_slug
from tests import seeds

SEEDS = list(seeds.SEEDS)
if not SEEDS:  # the seeds also ship with the app's built-in profiles
    SEEDS = sorted(
        (Path(__file__).parents[3] / "speclint" / "src" / "speclint" / "profiles").glob("*.md")
    )

# Every tag the renderer may emit; an independent statement of the policy, not an import of it.
RENDERED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody",
    "tr", "th", "td", "blockquote", "pre", "code", "span", "hr", "div", "section", "a",
    "sup", "input", "em", "strong", "s", "br",
}  # fmt: skip
TAG_OPENING = re.compile(r"<(/?)([^\s>/]*)")


def lines_of(html: str, tag: str) -> list[tuple[int, int]]:
    pattern = rf'<{tag}\b[^>]*data-source-line="(\d+)" data-source-end="(\d+)"'
    return [(int(a), int(b)) for a, b in re.findall(pattern, html)]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name)
def test_each_seed_renders_with_a_toc_and_no_raw_angle_bracket_from_author_text(seed):
    source = seed.read_text(encoding="utf-8")
    document = render_markdown(source)

    assert document.toc, "every seed has headings"
    assert [entry.anchor for entry in document.toc] == [s.anchor for s in document.outline]
    # Each "<" must open or close a tag we emit; author text like "<System / Feature Name>"
    # has to arrive as &lt;, never as markup.
    names = {name.lower() for _, name in TAG_OPENING.findall(document.html)}
    assert names <= RENDERED_TAGS
    for entry in document.toc:
        assert f'id="{entry.anchor}"' in document.html


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name)
def test_block_line_numbers_point_at_the_source_lines(seed):
    lines = seed.read_text(encoding="utf-8").split("\n")
    html = render_markdown("\n".join(lines)).html

    for level in range(1, 7):
        for first, last in lines_of(html, f"h{level}"):
            assert first == last
            assert lines[first - 1].lstrip().startswith("#" * level + " ")
    for first, last in lines_of(html, "tr"):
        assert first == last and lines[first - 1].lstrip().startswith("|")
    for first, last in lines_of(html, "pre"):
        assert lines[first - 1].lstrip().startswith(("```", "~~~"))
        assert lines[last - 1].strip().startswith(("```", "~~~"))
    for tag in ("p", "li", "ul", "ol", "table", "blockquote"):
        for first, last in lines_of(html, tag):
            assert 1 <= first <= last <= len(lines)
            assert lines[last - 1].strip(), f"{tag} ends on a blank line {last}"


def test_mojibake_passes_through_as_text():
    source = "# ðŸ“„ **Spec** 1ï¸âƒ£\n\nÔ∏è‚É£ text\n"  # noqa: RUF001
    document = render_markdown(source)

    assert document.toc[0].title == "ðŸ“„ Spec 1ï¸âƒ£"  # noqa: RUF001
    assert "Ô∏è‚É£ text" in document.html  # noqa: RUF001
    assert document.toc[0].anchor == "spec-ðÿ-spec-1ïâƒ"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Hello World", "hello-world"),
        ("26) Ownership & RACI (required)", "26-ownership--raci-required"),
        ("Endpoint: <name>", "endpoint-name"),
        ("snake_case and `code`", "snake_case-and-code"),
        ("Café Ünïcode", "café-ünïcode"),
        ("🚀 Launch", "-launch"),
        ("x² ½ Ⅻ", "x--ⅻ"),
        ("  tabs\tand  spaces ", "--tabsand--spaces-"),
    ],
)
def test_github_slug(title, slug):
    assert github_slug(title) == slug


def test_repeated_headings_are_numbered_like_github():
    slugger = Slugger()
    assert [slugger.slug(t) for t in ("a", "a", "a-1", "A", "b")] == [
        "a",
        "a-1",
        "a-1-1",
        "a-2",
        "b",
    ]


def test_heading_ids_are_prefixed_and_fragment_links_follow_them():
    document = render_markdown("# Context\n\n## `location`\n\nSee [context](#context).\n")

    assert '<h1 id="spec-context"' in document.html
    assert '<h2 id="spec-location"' in document.html
    assert '<a href="#spec-context">context</a>' in document.html
    assert [entry.anchor for entry in document.toc] == ["spec-context", "spec-location"]
    assert 'rel="' not in document.html


def test_external_links_get_rel_and_relative_links_lose_their_target():
    html = render_markdown("[a](https://a.example) [m](mailto:x@y.example) [r](docs/x.md)").html

    assert '<a href="https://a.example" rel="noopener noreferrer nofollow">a</a>' in html
    assert '<a href="mailto:x@y.example" rel="noopener noreferrer nofollow">m</a>' in html
    assert "<a>r</a>" in html


def test_toc_and_outline_ranges():
    source = (
        "# Title\n\nintro\n\n## One\n\ntext\n\n### One.a\n\nmore\n\n\n## Two\n\nlast line\n\n\n"
    )
    document = render_markdown(source)

    assert [(e.level, e.title, e.line) for e in document.toc] == [
        (1, "Title", 1),
        (2, "One", 5),
        (3, "One.a", 9),
        (2, "Two", 14),
    ]
    assert [(s.title, s.start_line, s.end_line) for s in document.outline] == [
        ("Title", 1, 16),
        ("One", 5, 11),
        ("One.a", 9, 11),
        ("Two", 14, 16),
    ]


def test_headings_inside_quotes_get_ids_but_stay_out_of_the_toc():
    document = render_markdown("# Top\n\n> # Quoted\n")

    assert [entry.title for entry in document.toc] == ["Top"]
    assert 'id="spec-quoted"' in document.html


def test_lists_do_not_claim_trailing_blank_lines():
    html = render_markdown("- a\n\n- b\n\n  more\n\n\n\nafter\n").html

    assert lines_of(html, "ul") == [(1, 5)]
    assert lines_of(html, "li") == [(1, 1), (3, 5)]
    assert lines_of(html, "p")[-1] == (9, 9)


def test_front_matter_becomes_a_metadata_table():
    document = render_markdown('---\ntitle: "Spec"\ntags: [a, b]\ndate: 2024-01-02\n---\n\n# T\n')

    assert document.front_matter == (("title", "Spec"), ("tags", "a, b"), ("date", "2024-01-02"))
    assert '<div class="front-matter" data-source-line="1" data-source-end="5">' in document.html
    assert "<th>tags</th><td>a, b</td>" in document.html
    assert "title: " not in document.html


def test_front_matter_that_is_not_a_mapping_is_shown_raw():
    document = render_markdown("---\n- just\n- a list\n---\n\ntext\n")

    assert document.front_matter == (("front matter", "- just\n- a list"),)


def test_front_matter_alias_bomb_stays_small():
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 12):
        previous = "a" if level == 1 else f"l{level - 1}"
        bomb.append(f"l{level}: &l{level} [{', '.join(['*' + previous] * 10)}]")
    document = render_markdown("---\n" + "\n".join(bomb) + "\n---\n")

    assert all(len(value) <= MAX_VALUE_CHARS for _, value in document.front_matter)
    assert len(document.html) < 20 * MAX_VALUE_CHARS


def test_tables_use_alignment_classes_not_styles():
    html = render_markdown("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n").html

    assert '<th class="align-left">a</th>' in html
    assert '<td class="align-center">2</td>' in html
    assert '<td class="align-right">3</td>' in html
    assert "style" not in html


def test_strikethrough_and_task_lists():
    html = render_markdown("~~gone~~\n\n- [ ] open\n- [x] done\n- not a task\n").html

    assert "<s>gone</s>" in html
    assert '<ul class="contains-task-list"' in html
    assert html.count('<li class="task-list-item"') == 2
    assert (
        '<input class="task-list-item-checkbox" type="checkbox" disabled="disabled"'
        ' aria-label="not done"> open' in html
    )
    assert 'disabled="disabled" checked="checked" aria-label="done"> done' in html
    assert "<li data-source-line" in html  # the plain item is not a task


def test_footnotes_use_prefixed_ids():
    html = render_markdown("Claim[^src].\n\n[^src]: Source.\n").html

    assert '<a href="#spec-fn1" id="spec-fnref1">[1]</a>' in html
    assert '<li id="spec-fn1" class="footnote-item">' in html
    assert 'href="#spec-fnref1"' in html


def test_code_is_highlighted_with_classes_only():
    html = render_markdown("```python\ndef f():\n    return 1\n```\n").html

    assert '<pre class="highlight" data-source-line="1" data-source-end="4">' in html
    assert '<code class="language-python">' in html
    assert '<span class="k">def</span>' in html
    assert "style=" not in html


def test_unknown_language_is_escaped_plain_text():
    html = render_markdown("```nosuchlang\n<b>x</b>\n```\n").html

    assert '<code class="language-nosuchlang">&lt;b&gt;x&lt;/b&gt;\n</code>' in html


def test_mermaid_fence_is_left_for_the_browser():
    html = render_markdown("```mermaid\ngraph TD\n  A --> B\n```\n").html

    assert (
        '<pre class="mermaid" data-source-line="1" data-source-end="4">'
        "graph TD\n  A --&gt; B\n</pre>" in html
    )


def test_images_become_links_and_are_never_fetched():
    html = render_markdown("![Diagram *one*](https://x.example/d.png) ![local](d.png)").html

    assert "<img" not in html
    assert 'class="image-link" href="https://x.example/d.png"' in html
    assert ">Diagram one</a>" in html
    assert "local" in html and 'href="d.png"' not in html


def test_rendering_twice_gives_the_same_document():
    source = "---\na: 1\n---\n# A\n\n# A\n\ntext[^1]\n\n[^1]: note\n\n```python\nx = 1\n```\n"

    assert render_markdown(source) == render_markdown(source)
