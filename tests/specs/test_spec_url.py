"""specs.models.spec_page_url: reverse()'s answer, without reversing for every row."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from specs.models import spec_page_url


@pytest.mark.parametrize("slug", ["ledger-export", "a", "Spec_2026-v2", "0"])
def test_the_url_is_reverses(slug):
    assert spec_page_url(slug) == reverse("reviews:spec", args=[slug])


def test_a_script_prefix_is_kept():
    try:
        set_script_prefix("/review/")
        assert spec_page_url("ledger-export") == "/review/specs/ledger-export/"
        assert spec_page_url("ledger-export") == reverse("reviews:spec", args=["ledger-export"])
    finally:
        set_script_prefix("/")
    assert spec_page_url("ledger-export") == "/specs/ledger-export/"


@pytest.mark.parametrize("slug", ["", "with space", "a/b", "ünïcode", "x?y"])
def test_what_the_slug_converter_refuses_is_refused_as_before(slug):
    with pytest.raises(NoReverseMatch):
        reverse("reviews:spec", args=[slug])
    with pytest.raises(NoReverseMatch):
        spec_page_url(slug)
