"""Date-times the database cannot hold are refused naming the field, wherever they come in."""

from __future__ import annotations

from datetime import datetime

import pytest

from hub.errors import InvalidInput
from hub.time import CHINA
from hub.values import moment


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00+09:00"])
def test_an_instant_before_year_1_in_utc_is_refused_naming_the_field(value: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        moment({"start": value}, "start")
    assert refused.value.field == "start"
    assert "1 to 9999" in refused.value.message_en and "9999" in refused.value.message_zh


def test_an_instant_within_range_is_kept_with_its_offset() -> None:
    kept = moment({"start": "0001-01-01T09:00:00+08:00"}, "start")
    assert kept == datetime(1, 1, 1, 9, tzinfo=CHINA)
    assert moment({"start": "9999-12-31T23:59:59"}, "start").tzinfo is CHINA
