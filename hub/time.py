"""China time: the clock the hub's days are counted in; and the hub's clock, `now()`.

Code whose rules depend on the time (sign-in sessions, single-use links, rate limits) asks
`now()` and passes it to Cypher as `$now`, never `datetime()`: a test moves the clock with
`travel` instead of waiting for an expiry.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta, timezone

# China has kept UTC+8 without daylight saving since 1991. A fixed offset, not
# ZoneInfo("Asia/Shanghai"): the neo4j driver calls tzinfo.utcoffset() with its own
# DateTime type, which zoneinfo's C code does not expect (it crashed the process).
CHINA = timezone(timedelta(hours=8), "UTC+08:00")

# How far the clock is moved (tests only; always zero in a serving process).
_offset = timedelta()


def now() -> datetime:
    """The current instant in UTC, as the hub's time-dependent rules see it."""
    return datetime.now(UTC) + _offset


@contextmanager
def travel(by: timedelta) -> Iterator[None]:
    """Within: `now()` is `by` later (tests of expiry, in the process that serves)."""
    global _offset
    before = _offset
    _offset = before + by
    try:
        yield
    finally:
        _offset = before


def day_window(first: date, last: date) -> tuple[datetime, datetime]:
    """Whole days in China time: [first 00:00, last + 1 day 00:00)."""
    return (
        datetime.combine(first, time(), CHINA),
        datetime.combine(last + timedelta(days=1), time(), CHINA),
    )
