"""Claims on natural keys: what makes "is this key free? then write it" safe when two
transactions decide on the same key at once.

Neo4j reads committed data without locks, so two registrations of one new USCC (or two
organizations saving one certificate number) can both find the key free and both write.
A claim is a node MERGEd under a uniqueness constraint (graph/migrations/0011): the
second transaction's MERGE waits on the constraint's entry until the first commits or
rolls back, and only then reads what the first wrote. The claim node is deleted again
before commit, so none stays in the graph; the entry lock is held to commit all the same.
Keys are claimed in sorted order, so two transactions claiming several cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import LiteralString, TypeVar

from hub.db.driver import Tx

T = TypeVar("T")

CLAIM: LiteralString = """
UNWIND $keys AS key
MERGE (c:RegistryClaim {key: key})
SET c.claimed_at = datetime()
"""

RELEASE: LiteralString = """
UNWIND $keys AS key
MATCH (c:RegistryClaim {key: key})
DELETE c
"""


async def holding(tx: Tx, label: str, keys: Iterable[str], work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` in `tx` while no other transaction may decide on these keys of `label`."""
    names = sorted({f"{label}:{key}" for key in keys})
    await tx.records(CLAIM, keys=names)
    result = await work()
    await tx.records(RELEASE, keys=names)
    return result
