"""A version with two images (and a clean SVG, which the app serves as a download: an <img>
shows it all the same), uploaded through the upload page by file input and drag-and-drop, is
read with every image loaded from the app's origin and no request to any other host."""

import base64

import pytest

from specs import actions
from specs.models import Profile
from tests.browser.test_accessibility import serious_violations, sideways
from tests.browser.test_no_remote_fetch import tracker  # noqa: F401 (a fixture)
from tests.specs.images import CLEAN_SVG, png_bytes

pytestmark = pytest.mark.browser

PASSWORD = "a long enough secret"


def test_two_images_upload_load_from_the_app_and_nothing_leaves(
    page,
    live_server,
    make_user,
    tmp_path,
    tracker,  # noqa: F811
):
    base, hits = tracker
    author = make_user("aisha", password=PASSWORD)
    spec = actions.create_spec(
        title="Checkout flow",
        slug="checkout-flow",
        profile=Profile.objects.get(name="generic"),
        author=author,
    )
    actions.upload_version(spec=spec, data=b"# Checkout flow\n\nText only.\n", uploaded_by=author)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("aisha")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")

    page.goto("/specs/checkout-flow/upload/")
    assert serious_violations(page) == []
    text = (
        "# Checkout flow\n\n## Sequence\n\n![Login sequence](sequence.png)\n\n"
        f"## Screens\n\n![Payment screen](screens/pay.png)\n\n![Dashboard]({base}/dash.png)\n"
        "\n![Flow](flow.svg)\n"
    )
    page.get_by_label("…or edit the text").fill(text)
    sequence = tmp_path / "sequence.png"
    sequence.write_bytes(png_bytes(1600, 300, (20, 90, 160)))  # wider than a phone
    flow = tmp_path / "flow.svg"
    flow.write_bytes(CLEAN_SVG)
    page.get_by_label("Images").set_input_files([str(sequence), str(flow)])
    _drop_file(page, "[data-drop-into=id_images]", "pay.png", png_bytes(40, 30, (200, 60, 20)))
    assert page.get_by_label("Images").evaluate("input => input.files.length") == 3
    page.get_by_label("Change note").fill("diagrams")
    page.get_by_role("button", name="Upload version").click()
    page.wait_for_url("**/specs/checkout-flow/")

    images = page.locator(".rendered img")
    assert images.count() == 3
    for index in range(3):
        image = images.nth(index)
        image.evaluate("img => img.complete || new Promise(r => img.addEventListener('load', r))")
        assert image.evaluate("img => img.naturalWidth") > 0
        assert image.get_attribute("src").startswith("/specs/checkout-flow/files/")
    assert page.locator(".rendered a.image-link", has_text="Dashboard").get_attribute("href") == (
        f"{base}/dash.png"
    )
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    assert sideways(page) == 0

    assert hits == []
    assert all(url.startswith(live_server.url) for url in requests), [
        url for url in requests if not url.startswith(live_server.url)
    ]


def _drop_file(page, selector: str, name: str, data: bytes) -> None:
    """What a browser does when a file is dragged from the desktop onto the element."""
    transfer = page.evaluate_handle(
        """([name, encoded]) => {
          const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes], name, {type: "image/png"}));
          return transfer;
        }""",
        [name, base64.b64encode(data).decode()],
    )
    page.dispatch_event(selector, "dragover", {"dataTransfer": transfer})
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})
