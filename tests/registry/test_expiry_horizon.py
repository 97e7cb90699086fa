"""How far ahead expiring certificates are looked for: 0 to 3650 days, else the field is named."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hub.errors import InvalidInput
from hub.registry.search_rules import expiry_horizon
from hub.time import CHINA


@pytest.mark.parametrize("days", [-1, 3651])
def test_a_horizon_out_of_range_names_within_days(days: int) -> None:
    with pytest.raises(InvalidInput) as refused:
        expiry_horizon(days)
    assert refused.value.field == "withinDays"


@pytest.mark.parametrize("days", [0, 90, 3650])
def test_the_horizon_is_that_many_days_after_today_in_china(days: int) -> None:
    before = datetime.now(CHINA).date()
    horizon = expiry_horizon(days)
    after = datetime.now(CHINA).date()
    assert horizon in {before + timedelta(days=days), after + timedelta(days=days)}
