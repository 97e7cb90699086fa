"""Dates and date-times read as plain values, for wide rows.

The driver decodes a DateTime in pure Python (tens of microseconds each: for 100
offerings with their capacity, most of the answer's time). Read paths that return many
of them project a date-time as `[epochMillis, nanosecond, offsetSeconds]`
(epochMillis, as epochSeconds rounds towards zero before 1970) and a date
as its ISO text (`instant`, `day`: Cypher), and turn them back here (`to_instant`,
`to_day`: the same values the driver's `to_native()` gives, nanoseconds truncated to
microseconds). Both also accept the driver's own values, so rows from other paths pass.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

_ZONES: dict[int, timezone] = {}


def instant(expression: str) -> str:
    """Cypher: a date-time expression as three integers (null stays null)."""
    return (
        f"CASE WHEN {expression} IS NULL THEN null ELSE [{expression}.epochMillis, "
        f"{expression}.nanosecond, {expression}.offsetSeconds] END"
    )


def day(expression: str) -> str:
    """Cypher: a date expression as its ISO text (null stays null)."""
    return f"toString({expression})"


def _zone(offset_s: int) -> timezone:
    zone = _ZONES.get(offset_s)
    if zone is None:
        zone = _ZONES[offset_s] = timezone(timedelta(seconds=offset_s))
    return zone


def to_instant(value: Any) -> datetime | None:
    """A date-time read by `instant` (or by the driver) as Python's datetime."""
    if value is None:
        return None
    if isinstance(value, list):
        millis, nanosecond, offset_s = value
        moment = datetime.fromtimestamp(millis // 1000, _zone(offset_s))
        return moment.replace(microsecond=nanosecond // 1000) if nanosecond else moment
    native: datetime = value.to_native()
    return native


def to_day(value: Any) -> date | None:
    """A date read by `day` (or by the driver) as Python's date."""
    if value is None:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value)
    native: date = value.to_native()
    return native
