"""China time: the clock the hub's days are counted in."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

# China has kept UTC+8 without daylight saving since 1991. A fixed offset, not
# ZoneInfo("Asia/Shanghai"): the neo4j driver calls tzinfo.utcoffset() with its own
# DateTime type, which zoneinfo's C code does not expect (it crashed the process).
CHINA = timezone(timedelta(hours=8), "UTC+08:00")


def day_window(first: date, last: date) -> tuple[datetime, datetime]:
    """Whole days in China time: [first 00:00, last + 1 day 00:00)."""
    return (
        datetime.combine(first, time(), CHINA),
        datetime.combine(last + timedelta(days=1), time(), CHINA),
    )
