from specs.images.findings import image_findings
from specs.rendering import render_markdown

TEXT = """# Spec

## Design

![Arch](arch.png)

![Inline](data:image/png;base64,iVBORw0KGgo=)

![Chart](https://grafana.example/c.png) ![Here](here.png)
"""


def test_missing_and_refused_images_are_findings_in_their_section_and_others_are_not():
    document = render_markdown(TEXT, {"here.png": "/specs/s/files/" + "a" * 64 + "/here.png"})
    findings = image_findings(document.images, document.outline)
    assert [(f["rule"], f["severity"], f["line"], f["section"]) for f in findings] == [
        ("image-missing", "warning", 5, "Design"),
        ("image-missing", "warning", 7, "Design"),
    ]
    assert "not attached" in findings[0]["message"]
    assert "data:" in findings[1]["message"]


def test_thousands_of_broken_images_are_a_hundred_findings_and_a_count():
    document = render_markdown("![x](gone.png) " * 3000, {})
    findings = image_findings(document.images, document.outline)
    assert len(findings) == 101
    assert findings[-1]["message"] == "…and 2900 more images that cannot be shown."
