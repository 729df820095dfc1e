import datetime
import zoneinfo

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone

from core.templatetags.timestamps import FORMATS

MOMENTS = [
    datetime.datetime(2026, month, day, hour, minute, tzinfo=datetime.UTC)
    for month, day, hour, minute in [(1, 1, 0, 0), (5, 9, 7, 5), (9, 30, 23, 59), (12, 31, 12, 1)]
] + [datetime.datetime(2025, 3, 2, 4, 5, 6, 789, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("moment", MOMENTS)
def test_stamp_writes_what_the_date_filter_writes(fmt, moment):
    ours = Template("{% load timestamps %}{{ v|stamp:f }}").render(Context({"v": moment, "f": fmt}))
    django = Template("{{ v|date:f }}").render(Context({"v": moment, "f": fmt}))
    assert ours == django


def test_stamp_follows_the_current_time_zone_like_date():
    moment = MOMENTS[2]
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        ours = Template("{% load timestamps %}{{ v|stamp:'j M Y H:i' }}").render(
            Context({"v": moment})
        )
        django = Template("{{ v|date:'j M Y H:i' }}").render(Context({"v": moment}))
    assert ours == django == "1 Oct 2026 08:59"


def test_stamp_of_nothing_is_empty_and_an_unknown_format_is_an_error():
    assert Template("{% load timestamps %}{{ v|stamp:'c' }}").render(Context({"v": None})) == ""
    with pytest.raises(TemplateSyntaxError):
        Template("{% load timestamps %}{{ v|stamp:'Y' }}").render(Context({"v": MOMENTS[0]}))
