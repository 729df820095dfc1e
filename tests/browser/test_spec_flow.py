from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser

V1 = """# Invoice reminders

## Context

Customers forget to pay invoices on time.

## Architecture

```mermaid
flowchart LR
  Scheduler --> Mailer
```
"""
V2 = V1.replace(
    "forget to pay invoices on time", "forget to pay invoices on time, costing 3 days of cash"
)
V3 = V2 + "\n## Rollout\n\nBehind a flag, one region at a time.\n"


def sign_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def test_author_uploads_three_ways_reads_compares_and_downloads(page, make_user, tmp_path):
    make_user("aisha", password="a long enough secret", first_name="Aisha", last_name="Okafor")
    sign_in(page, "aisha", "a long enough secret")

    # v1: a new spec from a file.
    v1 = tmp_path / "reminders.md"
    v1.write_text(V1)
    page.get_by_role("link", name="New spec").click()
    page.get_by_label("Title").fill("Invoice reminders")
    page.get_by_label("File").set_input_files(str(v1))
    page.get_by_label("Change note").fill("first draft")
    page.get_by_role("button", name="Create spec").click()
    page.wait_for_url("**/specs/invoice-reminders/")
    contents = page.get_by_role("navigation", name="Table of contents")
    architecture = contents.get_by_role("link", name="Architecture")
    assert not architecture.is_visible()  # 1280 px: the outline starts closed, above the text
    contents.get_by_text("Contents").click()
    assert architecture.is_visible()
    page.locator(".rendered pre.mermaid svg").wait_for()  # mermaid drew the diagram

    # v2: pasted text, with the live preview updating as the author types.
    page.get_by_role("link", name="Upload new version").click()
    page.get_by_label("…or edit the text").fill(V2)
    page.locator("#preview .rendered").get_by_text("costing 3 days of cash").wait_for()
    page.get_by_label("Change note").fill("quantified the problem")
    page.get_by_role("button", name="Upload version").click()
    page.get_by_text("Uploaded version 2.").wait_for()

    # v3: the management command.
    v3 = tmp_path / "v3.md"
    v3.write_text(V3)
    call_command(
        "upload_spec",
        "invoice-reminders",
        str(v3),
        "--as",
        "aisha",
        "--note",
        "rollout",
        stdout=StringIO(),
    )

    for number, text in ((1, "Customers forget"), (2, "costing 3 days"), (3, "Behind a flag")):
        page.goto(f"/specs/invoice-reminders/v{number}/")
        assert page.locator(".rendered").get_by_text(text).is_visible()
        assert page.locator(".toc").is_visible()
        page.locator(".rendered pre.mermaid svg").wait_for()

    page.goto("/specs/invoice-reminders/diff/?from=1&to=3")
    assert page.get_by_text("New section: Rollout").is_visible()
    assert page.locator("table.diff.split ins", has_text="costing").first.is_visible()

    page.goto("/specs/invoice-reminders/v2/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download v2").click()
    downloaded = download_info.value
    assert downloaded.suggested_filename == "invoice-reminders-v2.md"
    # The browser's textarea sent CRLF; the download is exactly the bytes that arrived.
    assert downloaded.path().read_bytes().replace(b"\r\n", b"\n") == V2.encode()
    assert not [e for e in page.console_errors if "Content Security Policy" in e], (
        page.console_errors
    )
