"""`Tx.collected`: the rows of a query fetched as one record, in the query's order, as
`records` would give them, in one round-trip."""

from __future__ import annotations

from typing import Any

from hub.db.driver import Database, Tx, counting_round_trips

ROWS = """
UNWIND range(1, $n) AS i
WITH i ORDER BY i DESC
RETURN i AS number, {square: i * i, name: 'n' + toString(i)} AS detail, null AS nothing
"""
COLUMNS = ("number", "detail", "nothing")


async def _both(tx: Tx, n: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    records = [dict(r) for r in await tx.records(ROWS, n=n)]
    return records, await tx.collected(ROWS, COLUMNS, n=n)


async def test_the_rows_are_those_of_records_in_order(db: Database) -> None:
    records, collected = await db.read(_both, 300)
    assert collected == records
    assert [r["number"] for r in collected] == list(range(300, 0, -1))
    assert collected[0] == {
        "number": 300,
        "detail": {"square": 90000, "name": "n300"},
        "nothing": None,
    }


async def test_no_rows_is_an_empty_list(db: Database) -> None:
    assert await db.read(_both, 0) == ([], [])


async def test_it_is_one_round_trip(db: Database) -> None:
    async def collected(tx: Tx) -> list[dict[str, Any]]:
        return await tx.collected(ROWS, COLUMNS, n=5)

    with counting_round_trips() as queries:
        await db.read(collected)
    assert len(queries) == 1
