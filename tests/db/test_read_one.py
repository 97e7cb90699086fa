"""`Database.read_one`: a one-query read as one auto-commit transaction, with the
bookmarks a managed read would give (the fingerprint), and never a second query."""

from __future__ import annotations

import pytest

from hub.db.driver import Database, Tx, counting_round_trips, reading


async def _count(tx: Tx) -> int:
    row = await tx.single("MATCH (p:Park) RETURN count(p) AS n")
    return 0 if row is None else int(row["n"])


async def _two(tx: Tx) -> None:
    await tx.records("RETURN 1 AS one")
    await tx.records("RETURN 2 AS two")


async def _touch(tx: Tx) -> None:
    await tx.run("MERGE (m:ReadOneMark {id: 1}) SET m.at = datetime()")


async def test_it_answers_as_a_managed_read_with_the_same_bookmark(db: Database) -> None:
    with reading() as managed:
        expected = await db.read(_count)
    with reading() as marks, counting_round_trips() as queries:
        found = await db.read_one(_count)
    assert found == expected > 0
    assert marks and marks == managed  # nothing was written in between
    assert len(queries) == 1


async def test_a_write_moves_its_bookmark(db: Database) -> None:
    with reading() as before:
        await db.read_one(_count)
    await db.write(_touch)
    with reading() as after:
        await db.read_one(_count)
    assert before and after and before != after


async def test_a_second_query_is_refused(db: Database) -> None:
    with pytest.raises(RuntimeError, match="more than one query"):
        await db.read_one(_two)


async def test_it_reads_only(db: Database) -> None:
    with pytest.raises(Exception, match=r"(?i)writ"):
        await db.read_one(_touch)
