"""Markdown to safe HTML, once per uploaded version.

`render_markdown` is the one function that turns a spec into the HTML a page embeds. It is
pure: a string in, a frozen `RenderedDocument` out, no Django and no I/O, so the worker,
the CLI and the tests all call the same thing. Its `html` is the only Markdown-derived
string a template may mark ``|safe``.

What the HTML promises the page:

- raw HTML in the source is never passed through (markdown-it with ``html`` off), and the
  result is sanitised by nh3 with an explicit allow-list (`sanitise.py`): no scripts, no
  event handlers, no ``style``, no ``hx-*``; http, https and mailto links and in-page
  ``#`` anchors only; ``data-source-line``/``data-source-end`` (integers) are the only
  ``data-*`` attributes;
- every block element carries ``data-source-line``/``data-source-end``, the 1-based
  inclusive lines of the uploaded file it came from, for anchoring comments;
- heading and footnote ids start with ``spec-`` so an author cannot clobber page globals
  (``id="location"``), and ``[x](#context)`` is rewritten to ``#spec-context`` to follow;
- mermaid fences arrive as ``<pre class="mermaid">`` with escaped source, code fences as
  Pygments spans styled by ``static/css/pygments.css``, table alignment as ``align-*``
  classes; images attached to the version as ``<img>`` from this app (`ATTACHMENT_URL`),
  other hosts' images as links (never fetched), missing ones as a visible placeholder.

The caller must put the HTML inside a container carrying ``hx-disable``, so that htmx
ignores anything in it that looks like an htmx attribute, whatever the sanitiser lets by.

`render_markdown` has no time limit of its own: markdown-it-py is pure Python and hostile
input can cost seconds. Workers call `specs.rendering.guard.render_with_time_limit`, which
is not pure (it forks) and is therefore not imported here.
"""

from .document import OutlineSection, RenderedDocument, TocEntry
from .fallback import render_source_as_escaped_html
from .render import render_markdown

# Bump whenever a change here changes the HTML, outline or TOC of some input: stored versions
# rendered by an older number are refreshed by `manage.py reanalyse_versions`.
RENDERER_VERSION = 2

__all__ = [
    "RENDERER_VERSION",
    "OutlineSection",
    "RenderedDocument",
    "TocEntry",
    "render_markdown",
    "render_source_as_escaped_html",
]
