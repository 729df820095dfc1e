"""A rendered spec makes the reader's browser contact no host but the app's (issue 9, item 4)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from specs import actions

pytestmark = pytest.mark.browser

PIXEL = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def tracker():
    """A real HTTP server on another origin that counts every request it gets."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PIXEL)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_images_in_diagram_labels_and_markdown_are_never_fetched(page, make_user, tracker):
    base, hits = tracker
    author = make_user("aisha", password="a long enough secret")
    spec = actions.create_spec(title="Tracked", slug="tracked", profile=_generic(), author=author)
    source = f"""# Tracked

## Architecture

```mermaid
flowchart LR
  A["<img src='{base}/label.png'> start"] --> B["<image href='{base}/svg.png'/>end"]
  click A "{base}/click"
```

![pixel]({base}/markdown.png)

<img src="{base}/raw.png">
"""
    actions.upload_version(spec=spec, data=source.encode(), uploaded_by=author)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("aisha")
    page.get_by_label("Password").fill("a long enough secret")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    page.goto("/specs/tracked/")
    page.wait_for_selector(".rendered pre.mermaid[data-processed] svg")
    page.wait_for_timeout(500)  # give any image request the chance to leave
    assert hits == []
    assert (
        page.locator(".rendered pre.mermaid svg img, .rendered pre.mermaid svg image").count() == 0
    )
    assert page.locator(f'.rendered img[src^="{base}"]').count() == 0


def _generic():
    from specs.models import Profile

    return Profile.objects.get(name="generic")
