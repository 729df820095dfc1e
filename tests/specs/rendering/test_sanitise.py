"""The XSS corpus, checked against the policy as hostile.py writes it out, not as imported."""

import pytest

from specs.rendering import render_markdown
from specs.rendering.sanitise import sanitise_html

from .hostile import XSS_HTML, XSS_MARKDOWN, violations


@pytest.mark.parametrize("source", XSS_MARKDOWN.values(), ids=list(XSS_MARKDOWN))
def test_markdown_corpus_renders_within_policy(source):
    html = render_markdown(source).html

    assert violations(html) == []
    assert "<script" not in html.lower()


@pytest.mark.parametrize("source", XSS_HTML.values(), ids=list(XSS_HTML))
def test_raw_html_corpus_is_cleaned_within_policy(source):
    html = sanitise_html(source)

    assert violations(html, require_rel=False) == []
    assert "<script" not in html.lower()


def test_the_checker_notices_violations():
    assert violations('<p onclick="x" data-x="1">a</p><a href="javascript:x">b</a><svg></svg>')


HOSTILE_MARKDOWN_AS_TEXT = [
    ("[x](javascript:alert(1))", ">[x](javascript:alert(1))</p>"),
    ("<javascript:alert(1)>", "&lt;javascript:alert(1)&gt;"),
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("[x](jav&#x09;ascript:alert(1))", "<a>x</a>"),
    ("[x](https://ok.example 'a\" onclick=\"b')", 'title="a&quot; onclick=&quot;b"'),
]


@pytest.mark.parametrize(("markdown", "expected"), HOSTILE_MARKDOWN_AS_TEXT)
def test_hostile_markdown_turns_into_text(markdown, expected):
    assert expected in render_markdown(markdown).html


def test_mermaid_source_cannot_close_its_pre():
    html = render_markdown("```mermaid\n</pre><script>alert(1)</script>\n```").html

    assert html.count("<pre") == html.count("</pre>") == 1
    assert "&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_info_string_cannot_inject_attributes_or_classes():
    html = render_markdown('```x" onmouseover="alert(1)\ncode\n```\n```python mermaid\nx\n```').html

    assert "onmouseover" not in html
    assert html.count('class="mermaid"') == 0


@pytest.mark.parametrize("name", ["location", "cookie", "constructor", "__proto__", "forms"])
def test_headings_cannot_clobber_page_globals(name):
    document = render_markdown(f"# `{name}`\n\n[go](#{name})")

    assert f'id="spec-{name}"' in document.html
    assert f'href="#spec-{name}"' in document.html
    assert f'id="{name}"' not in document.html
    assert document.toc[0].anchor == f"spec-{name}"


LINES = 'data-source-line="3" data-source-end="4"'
REL_ATTR = 'rel="noopener noreferrer nofollow"'
SANITISER_RULES = [
    ('<div hx-get="/admin" hx-trigger="load">x</div>', "<div>x</div>"),
    (f'<p {LINES} data-foo="1">x</p>', f"<p {LINES}>x</p>"),
    ('<p data-source-line="3 onclick=x" data-source-end="0">x</p>', "<p>x</p>"),
    ('<span class="k nf btn evil">x</span>', '<span class="k nf">x</span>'),
    ('<code class="language-py language-x&quot;y">x</code>', '<code class="language-py">x</code>'),
    ('<pre class="mermaid hidden">x</pre>', '<pre class="mermaid">x</pre>'),
    (
        '<input type="text" checked>',
        '<input type="checkbox" checked="checked" disabled="disabled">',
    ),
    (
        '<a href="https://ok.example" rel="opener" target="_blank">x</a>',
        f'<a href="https://ok.example" {REL_ATTR}>x</a>',
    ),
    ('<a href="/relative">x</a><a href="#frag">y</a>', '<a>x</a><a href="#frag">y</a>'),
    ('<h2 id="location">x</h2>', '<h2 id="spec-location">x</h2>'),
    ('<ol start="3" reversed>', '<ol start="3"></ol>'),
    ('<ol start="-1">', "<ol></ol>"),
    ('<ol start="0" data-source-line="0">', '<ol start="0"></ol>'),
]


@pytest.mark.parametrize(("html", "expected"), SANITISER_RULES)
def test_sanitiser_rules(html, expected):
    assert sanitise_html(html) == expected


def test_only_the_task_checkbox_names_survive_as_aria_labels():
    html = sanitise_html(
        '<input type="checkbox" disabled aria-label="done">'
        '<input type="checkbox" disabled aria-label="click me">'
        '<p aria-label="done">x</p>'
    )
    assert html.count('aria-label="done"') == 1
    assert "click me" not in html
    assert violations(html, require_rel=False) == []
