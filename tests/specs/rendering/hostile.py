"""Hostile inputs shared by the tests and the benchmarks (bench/ imports this module)."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

# Markdown an author could upload, aiming to get script, styles or htmx into the review page.
XSS_MARKDOWN: dict[str, str] = {
    "javascript link": "[x](javascript:alert(1))",
    "mixed-case javascript link": "[x](JaVaScRiPt:alert(1))",
    "tab inside scheme": "[x](jav&#x09;ascript:alert(1))",
    "entity-encoded scheme": "[x](&#106;avascript:alert(1))",
    "angle-bracket destination": "[x](<javascript:alert(1)>)",
    "reference definition": "[x]\n\n[x]: javascript:alert(1)",
    "data URL link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "vbscript link": "[x](vbscript:msgbox(1))",
    "javascript autolink": "<javascript:alert(1)>",
    "autolink with quote": '<https://ok.example/"onmouseover="alert(1)>',
    "javascript image": "![x](javascript:alert(1))",
    "svg data image": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "png data image": "![x](data:image/png;base64,iVBORw0KGgo=)",
    "script block": "<script>alert(1)</script>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "inline img onerror": "text <img src=x onerror=alert(1)> text",
    "svg onload": "<svg onload=alert(1)><circle/></svg>",
    "math mutation": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "htmx attributes": '<div hx-get="/admin/delete" hx-trigger="load">x</div>',
    "inline htmx": 'a <span hx-post="/x" hx-trigger="load">b</span>',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "form": '<form action="https://evil.example"><input name="password"></form>',
    "object and embed": '<object data="x.swf"></object><embed src="x.swf">',
    "style block": "<style>body{display:none}</style>",
    "title breaks out": '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    "single-quoted title": "[x](https://ok.example 'a\" onclick=\"alert(1)')",
    "image title": '![x](https://ok.example/i.png "t\\" onerror=\\"alert(1)")',
    "escaped entities": (
        "&lt;script&gt;alert(1)&lt;/script&gt; &#60;script&#62;alert(1)&#60;/script&#62;"
    ),
    "mermaid closing pre": "```mermaid\ngraph TD\n</pre><script>alert(1)</script>\n```",
    "code closing code": "```html\n</code></pre><script>alert(1)</script>\n```",
    "info string injection": '```x" onmouseover="alert(1)\ncode\n```',
    "class injection": "```python highlight mermaid\ncode\n```",
    "heading __proto__": "# __proto__\n\n[x](#__proto__)",
    "heading location": "# location\n\n## cookie\n\n## constructor",
    "front matter script": (
        "---\ntitle: <script>alert(1)</script>\nx: '\" onload=\"alert(1)'\n---\n\ntext"
    ),
    "footnote script": "a[^1]\n\n[^1]: <script>alert(1)</script>",
    "inline footnote": "a^[<img src=x onerror=alert(1)>]",
    "html comment": "<!-- --><script>alert(1)</script><!-- -->",
    "noscript mutation": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "task list html": "- [ ] <input type=text autofocus onfocus=alert(1)>",
    "table cell html": "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "relative link": "[x](../admin/delete) [y](//evil.example/x)",
    "base and meta": '<base href="https://evil.example/"><meta http-equiv="refresh" content="0">',
}

# Sanitiser input as if raw HTML had reached it: the second wall must hold on its own.
XSS_HTML: dict[str, str] = {
    "script": "<script>alert(1)</script>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "svg onload": "<svg onload=alert(1)><script>alert(1)</script></svg>",
    "math mutation": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "javascript href": '<a href="javascript:alert(1)">x</a>',
    "tab in scheme": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "entity scheme": '<a href="&#106;avascript:alert(1)">x</a>',
    "leading space scheme": '<a href=" javascript:alert(1)">x</a>',
    "data href": '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    "vbscript href": '<a href="vbscript:msgbox(1)">x</a>',
    "relative href": '<a href="/admin/delete">x</a>',
    "protocol-relative href": '<a href="//evil.example/">x</a>',
    "htmx": '<div hx-get="/admin" hx-trigger="load" hx-swap="outerHTML">x</div>',
    "data attributes": (
        '<p data-source-line="1" data-source-end="2" data-foo="x" data-hx-get="/a">x</p>'
    ),
    "non-integer line": '<p data-source-line="1 onclick=alert(1)" data-source-end="-3">x</p>',
    "style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "style element": "<style>*{display:none}</style><p>x</p>",
    "event handler": '<p onclick="alert(1)" onmouseover="alert(1)">x</p>',
    "foreign class": '<span class="k btn-danger">x</span><p class="hidden">y</p>',
    "text input": '<input type="text" name="q" value="x" autofocus onfocus="alert(1)">',
    "form": (
        '<form action="https://evil.example">'
        '<button formaction="javascript:alert(1)">x</button></form>'
    ),
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object": '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    "clobbering id": '<h1 id="location">x</h1><a id="__proto__" name="cookie">y</a>',
    "noscript mutation": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "template": "<template><script>alert(1)</script></template>",
    "base and meta": '<base href="https://evil.example/"><meta http-equiv="refresh" content="0">',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "rel override": '<a href="https://ok.example" rel="opener">x</a>',
    "target blank": '<a href="https://ok.example" target="_blank">x</a>',
    "srcset image": '<img srcset="https://evil.example/x.png 1x" src="https://evil.example/y.png">',
    "entity in text": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "comment": "<!--<script>alert(1)</script>-->x",
}


def _nested_brackets(size: int) -> str:
    return "[" * size


def _image_openers(size: int) -> str:
    return "![" * (size // 2)


def _inline_footnotes(size: int) -> str:
    return "^[" * (size // 2)


def _emphasis_run(size: int) -> str:
    return "*_" * (size // 2)


def _unclosed_link_tails(size: int) -> str:
    return "[a](" * (size // 4)


def _backtick_runs(size: int) -> str:
    out: list[str] = []
    total, length = 0, 1
    while total < size:
        out.append("`" * length + "a")
        total += length + 1
        length = length % 64 + 1
    return "".join(out)[:size]


def _nested_blockquotes(size: int) -> str:
    return "".join(">" * (depth % 40 + 1) + " x\n" for depth in range(size // 24))


def _nested_lists(size: int) -> str:
    return "".join("  " * (depth % 30) + "- x\n" for depth in range(size // 32))


def _task_list(size: int) -> str:
    return "- [ ] task\n" * (size // 11)


def _wide_table(size: int) -> str:
    row = "|" + "a|" * 200 + "\n"
    return row + "|" + "-|" * 200 + "\n" + row * (size // len(row))


# Valid Markdown that costs markdown-it-py (pure Python) the most CPU per byte.
PATHOLOGICAL: dict[str, Callable[[int], str]] = {
    "nested [": _nested_brackets,
    "![ openers": _image_openers,
    "^[ inline footnotes": _inline_footnotes,
    "*_ emphasis run": _emphasis_run,
    "[a]( unclosed links": _unclosed_link_tails,
    "backtick runs": _backtick_runs,
    "nested blockquotes": _nested_blockquotes,
    "nested lists": _nested_lists,
    "task list": _task_list,
    "wide table": _wide_table,
}


# The policy, written out independently of specs/rendering/sanitise.py so a test can catch it.
TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody",
    "tr", "th", "td", "blockquote", "pre", "code", "span", "hr", "div", "section", "a",
    "sup", "input", "em", "strong", "s", "br", "img",
}  # fmt: skip
ATTRIBUTES = {
    "id", "class", "href", "title", "rel", "start", "type", "checked", "disabled", "src", "alt",
}  # fmt: skip
# An image may only come from a file attached to a version, served by the app itself.
ATTACHMENT_SRC = re.compile(r"/specs/[-a-zA-Z0-9_]+/files/[0-9a-f]{64}/[^\s\"<>?#]+")
LINE_ATTRIBUTES = {"data-source-line", "data-source-end"}
SAFE_HREF_PREFIXES = ("#", "http://", "https://", "mailto:")
REL = "noopener noreferrer nofollow"


class PolicyChecker(HTMLParser):
    def __init__(self, *, require_rel: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.require_rel = require_rel
        self.violations: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._check(tag, dict(attrs), len(attrs))

    def handle_startendtag(self, tag, attrs):
        self._check(tag, dict(attrs), len(attrs))

    def _check(self, tag, attrs, count):
        if tag not in TAGS:
            self.violations.append(f"tag <{tag}>")
        if len(attrs) != count:
            self.violations.append(f"duplicate attribute on <{tag}>")
        for name, value in attrs.items():
            if name in LINE_ATTRIBUTES:
                if not (value or "").isdigit():
                    self.violations.append(f"{name}={value!r}")
            elif name == "aria-label":
                if tag != "input" or value not in ("done", "not done"):
                    self.violations.append(f"aria-label={value!r} on <{tag}>")
            elif name not in ATTRIBUTES:
                self.violations.append(f"attribute {name} on <{tag}>")
        href = attrs.get("href")
        if href is not None and not href.startswith(SAFE_HREF_PREFIXES):
            self.violations.append(f"href {href!r}")
        external = href is not None and not href.startswith("#")
        if external and self.require_rel and attrs.get("rel") != REL:
            self.violations.append(f"external link without rel: {href!r}")
        if "src" in attrs and (tag != "img" or not ATTACHMENT_SRC.fullmatch(attrs["src"] or "")):
            self.violations.append(f"src {attrs['src']!r} on <{tag}>")
        if "id" in attrs and not attrs["id"].startswith("spec-"):
            self.violations.append(f"unprefixed id {attrs['id']!r}")
        if tag == "input" and (attrs.get("type") != "checkbox" or "disabled" not in attrs):
            self.violations.append(f"live input {attrs}")


def violations(html: str, *, require_rel: bool = True) -> list[str]:
    # rel is the renderer's job (it knows which links are external); the sanitiser only pins
    # its value, so raw HTML fed straight to the sanitiser is not held to it.
    checker = PolicyChecker(require_rel=require_rel)
    checker.feed(html)
    checker.close()
    return checker.violations
