"""A bulk writer creates the rows its transaction read as absent: should a concurrent writer
create one first, the uniqueness constraint refuses the write, and the work runs again."""

from __future__ import annotations

from typing import Any

from neo4j.exceptions import ConstraintError

from hub.registry.store.writes import bulk


class RacedOnce:
    """A database whose first write loses a race on a new key."""

    def __init__(self) -> None:
        self.attempts = 0

    async def write(self, work: Any, *args: Any) -> str:
        self.attempts += 1
        if self.attempts == 1:
            raise ConstraintError("Node already exists with label `CapacityBucket`")
        return "written"


async def test_a_bulk_write_that_lost_a_race_on_a_new_key_runs_once_more() -> None:
    db = RacedOnce()
    assert await bulk(db, None) == "written"  # type: ignore[arg-type]
    assert db.attempts == 2
