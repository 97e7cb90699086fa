"""Dates and date-times read as plain values (hub/db/temporal.py) are the very values the
driver's own decoding gives: offsets, named zones, before 1970, nanoseconds, the ends of
the range the hub accepts, and null."""

from __future__ import annotations

from typing import LiteralString

from hub.db.driver import Database, Tx
from hub.db.temporal import day, instant, to_day, to_instant

MOMENTS = [
    "2026-12-05T08:09:14.5205005Z",
    "2026-12-05T08:09:14.5204995+08:00",
    "2026-12-05T23:59:59.9999996+05:30",
    "2026-03-01T00:00:00[Asia/Shanghai]",
    "1969-12-31T23:59:59.5Z",
    "1969-12-31T23:59:58.999999Z",
    "1000-01-01T00:00:00.0001-11:30",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999999Z",
]
READ: LiteralString = (
    "UNWIND $moments AS m WITH datetime(m) AS t, date(datetime(m)) AS d "
    "RETURN t, d, " + instant("t") + " AS t_plain, " + day("d") + " AS d_plain"
)
NULLS: LiteralString = "RETURN " + instant("null") + " AS t, " + day("null") + " AS d"


async def _read(tx: Tx) -> list[dict[str, object]]:
    return [dict(r) for r in await tx.records(READ, moments=MOMENTS)]


async def test_plain_values_decode_to_what_the_driver_gives(db: Database) -> None:
    rows = await db.read(_read)
    assert len(rows) == len(MOMENTS)
    for row in rows:
        driver, plain = row["t"].to_native(), to_instant(row["t_plain"])  # type: ignore[attr-defined]
        assert plain == driver and plain is not None
        assert plain.isoformat() == driver.isoformat()
        assert to_day(row["d_plain"]) == row["d"].to_native()  # type: ignore[attr-defined]
        assert to_instant(row["t"]) == driver  # the driver's own values pass too


async def test_null_stays_null(db: Database) -> None:
    async def nulls(tx: Tx) -> dict[str, object]:
        row = await tx.single(NULLS)
        assert row is not None
        return dict(row)

    row = await db.read(nulls)
    assert to_instant(row["t"]) is None and to_day(row["d"]) is None
