"""The allow-list every rendered spec passes through (nh3, i.e. ammonia).

Raw HTML is already off in the parser, so in practice this only ever sees markup our own
renderer wrote; it is the second wall, and it is written so that it would hold alone.
"""

from __future__ import annotations

import re

import nh3

from .highlight import LANGUAGE_CLASS, PYGMENTS_CLASSES
from .slugs import ANCHOR_PREFIX

EXTERNAL_LINK_REL = "noopener noreferrer nofollow"
SOURCE_LINE_ATTRIBUTES = frozenset({"data-source-line", "data-source-end"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# The only image address a rendered spec may hold: a file attached to a version of the spec,
# served by this app (specs.views.version_file). Other hosts' images are links, never <img>.
ATTACHMENT_URL = re.compile(r"/specs/[-a-zA-Z0-9_]+/files/[0-9a-f]{64}/[^\s\"<>\\?#]+")

_LINED = SOURCE_LINE_ATTRIBUTES
TASK_LABELS = frozenset({"done", "not done"})

ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "p": _LINED,
    **{f"h{level}": _LINED | {"id"} for level in range(1, 7)},
    "ul": _LINED | {"class"},
    "ol": _LINED | {"class", "start"},
    "li": _LINED | {"class", "id"},
    "table": _LINED | {"class"},
    "thead": frozenset(),
    "tbody": frozenset(),
    "tr": _LINED,
    "th": frozenset({"class"}),
    "td": frozenset({"class"}),
    "blockquote": _LINED,
    "pre": _LINED | {"class"},
    "code": frozenset({"class"}),
    "span": frozenset({"class"}),
    "hr": _LINED | {"class"},
    "div": _LINED | {"class"},
    "section": frozenset({"class"}),
    "a": frozenset({"href", "title", "rel", "class", "id"}),
    "sup": frozenset({"class"}),
    "input": frozenset({"type", "checked", "disabled", "class", "aria-label"}),
    "em": frozenset(),
    "strong": frozenset(),
    "s": frozenset(),
    "br": frozenset(),
    "img": frozenset({"src", "alt", "title"}),
}
ALLOWED_TAGS = frozenset(ALLOWED_ATTRIBUTES)

# Dropped with their content, not just unwrapped: their text is code or markup, never prose.
CLEAN_CONTENT_TAGS = frozenset(
    {"script", "style", "svg", "math", "iframe", "object", "embed", "template", "noscript"}
    | {"textarea", "select", "noembed", "noframes", "xmp", "title"}
)

# Exactly the class names the renderer emits, per tag; anything else an author smuggles is cut.
ALLOWED_CLASSES: dict[str, frozenset[str]] = {
    "pre": frozenset({"highlight", "mermaid", "source-fallback"}),
    "ul": frozenset({"contains-task-list"}),
    "ol": frozenset({"footnotes-list"}),
    "li": frozenset({"task-list-item", "footnote-item"}),
    "input": frozenset({"task-list-item-checkbox"}),
    "th": frozenset({"align-left", "align-center", "align-right"}),
    "td": frozenset({"align-left", "align-center", "align-right", "line-number", "line-text"}),
    "hr": frozenset({"footnotes-sep"}),
    "section": frozenset({"footnotes"}),
    "sup": frozenset({"footnote-ref"}),
    "a": frozenset({"footnote-backref", "image-link"}),
    "span": PYGMENTS_CLASSES | {"image-missing"},
    "div": frozenset({"front-matter"}),
    "table": frozenset({"front-matter-table", "source-fallback"}),
}

_LINE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")
_LIST_START = re.compile(r"[0-9]{1,9}")


def filter_attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's per-attribute hook: the value to keep, or None to drop the attribute."""
    if name in SOURCE_LINE_ATTRIBUTES:
        return value if _LINE_NUMBER.fullmatch(value) else None
    if name == "start":  # "0. item" is a valid list start; line numbers begin at 1
        return value if _LIST_START.fullmatch(value) else None
    if name == "class":
        return _allowed_classes(tag, value)
    if name == "href":
        return value if is_allowed_href(value) else None
    if name == "src":
        return value if ATTACHMENT_URL.fullmatch(value) else None
    if name == "id":
        return value if value.startswith(ANCHOR_PREFIX) else ANCHOR_PREFIX + value
    if name == "rel":
        return EXTERNAL_LINK_REL
    if name == "type":
        return "checkbox"
    if name in ("checked", "disabled"):
        return name
    if name == "aria-label":  # only the task-list checkbox's own two words
        return value if value in TASK_LABELS else None
    return value


def is_allowed_href(value: str) -> bool:
    """In-page anchors and absolute http(s)/mailto URLs; never relative paths or other schemes.

    No stripping first: browsers ignore tabs and newlines inside a scheme (``java\\tscript:``),
    so anything that does not start with an allowed scheme literally is refused.
    """
    if value.startswith("#"):
        return True
    scheme, colon, _ = value.partition(":")
    return bool(colon) and scheme.lower() in URL_SCHEMES


def _allowed_classes(tag: str, value: str) -> str | None:
    allowed = ALLOWED_CLASSES.get(tag, frozenset())
    kept = [
        name
        for name in value.split()
        if name in allowed or (tag == "code" and LANGUAGE_CLASS.fullmatch(name))
    ]
    return " ".join(kept) if kept else None


def _fragments_and_attachments(url: str) -> str | None:
    # nh3 asks this of every relative URL that filter_attribute kept: links keep only "#…"
    # (is_allowed_href), images only attachment URLs (ATTACHMENT_URL).
    return url if url.startswith("#") or ATTACHMENT_URL.fullmatch(url) else None


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(CLEAN_CONTENT_TAGS),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=filter_attribute,
    strip_comments=True,
    # rel is set by the renderer on external links only and pinned by filter_attribute.
    link_rel=None,
    set_tag_attribute_values={"input": {"type": "checkbox", "disabled": "disabled"}},
    url_schemes=set(URL_SCHEMES),
    url_relative=_fragments_and_attachments,
    id_prefix=ANCHOR_PREFIX,
)


def sanitise_html(html: str) -> str:
    return _CLEANER.clean(html)
