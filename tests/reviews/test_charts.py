"""Server-side SVG charts: well-formed, escaped, no inline style or script, numbers right."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from reviews.dashboard.charts import Bar, bar_chart, nice_ceiling, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314  # our own output, not untrusted input


def text(element: ET.Element | None) -> str:
    assert element is not None and element.text is not None
    return element.text


def number(element: ET.Element, attribute: str) -> float:
    value = element.get(attribute)
    assert value is not None
    return float(value)


def assert_csp_safe(svg: str) -> None:
    assert "style=" not in svg
    assert "<script" not in svg.lower()
    assert not re.search(r"\son[a-z]+\s*=", svg), "no inline event handlers"


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1), (0.3, 0.5), (1, 1), (3, 5), (7, 10), (12, 20), (200, 200)]
)
def test_nice_ceiling(value, ceiling) -> None:
    assert nice_ceiling(value) == pytest.approx(ceiling)


def test_bar_chart_draws_one_bar_per_value_scaled_to_the_axis() -> None:
    svg = bar_chart([Bar("a", 5), Bar("b", 10), Bar("c", 0)], title="Approvals", unit=" x")
    assert_csp_safe(svg)
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "Approvals"
    assert text(root.find(f"{SVG}title")) == "Approvals"
    assert "a: 5 x; b: 10 x; c: 0 x" in text(root.find(f"{SVG}desc"))
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 3
    heights = [number(b, "height") for b in bars]
    assert heights[1] == pytest.approx(2 * heights[0]) and heights[2] == 0
    assert all(b.get("class") == "series-bar" for b in bars)


def test_labels_are_escaped() -> None:
    svg = bar_chart([Bar('<script>alert("x")</script>', 1)], title="<b>&")
    assert_csp_safe(svg)
    assert "&lt;script&gt;" in svg and "&lt;b&gt;&amp;" in svg
    parse(svg)


def test_empty_chart_says_so() -> None:
    for svg in (bar_chart([], title="t"), bar_chart([Bar("a", 0)], title="t")):
        assert "No data yet" in svg
        assert parse(svg).findall(f"{SVG}rect") == []


def test_stacked_chart_stacks_series_and_draws_a_legend() -> None:
    svg = stacked_bar_chart(
        ["w1", "w2"],
        {"draft": [1, 0], "in_review": [1, 4]},
        title="By state",
        names={"in_review": "In review"},
    )
    assert_csp_safe(svg)
    root = parse(svg)
    rects = root.findall(f"{SVG}rect")
    # three non-zero segments plus two legend swatches
    assert [r.get("class") for r in rects].count("series-in_review") == 3
    assert [r.get("class") for r in rects].count("series-draft") == 2
    segments = [r for r in rects if r.find(f"{SVG}title") is not None]
    w2 = [r for r in segments if text(r.find(f"{SVG}title")).startswith("w2")]
    w1 = [r for r in segments if text(r.find(f"{SVG}title")).startswith("w1")]
    assert sum(number(r, "height") for r in w2) == pytest.approx(
        2 * sum(number(r, "height") for r in w1)
    )
    assert "In review" in svg and "w2: In review 4" in text(root.find(f"{SVG}desc"))


def test_stacked_chart_refuses_ragged_series() -> None:
    with pytest.raises(ValueError, match="2 values for 3 labels"):
        stacked_bar_chart(["a", "b", "c"], {"x": [1, 2]}, title="t")


def test_series_keys_become_safe_class_names() -> None:
    svg = stacked_bar_chart(["a"], {'Bad "key" <x>': [1]}, title="t")
    assert 'class="series-bad-key-x"' in svg
    assert_csp_safe(svg)
