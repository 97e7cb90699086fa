"""At most one running import per organization, across every hub process.

A provider's upload holds a lease on each organization it imports for; an admin's, on `*`
(the whole registry: one admin import at a time). The lease is an `(:ImportLock {key})`
node (unique key): taking it sets its holder and an expiry in a short transaction of its
own, before the file is read; a second import finds it held and is refused, naming the
file that holds it and since when. The lease is given back (the node deleted) when the
import ends, however it ends; should its process die first, the lease expires after the
import's own deadline.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from typing import LiteralString

from hub.db.driver import Database, Tx
from hub.errors import Conflict

ANY = "*"  # the key of an import that may write any organization's rows (an admin's)
MARGIN_S = 30.0  # a lease outlives its import's deadline by this much

# SET takes the node's write lock before its holder is read, so two transactions taking
# the same lease at once are ordered: the second reads what the first committed.
TAKE: LiteralString = """
UNWIND $keys AS key
MERGE (l:ImportLock {key: key})
SET l.asked_at = datetime()
WITH l
WHERE l.holder IS NOT NULL AND l.holder <> $holder AND l.until > datetime()
RETURN l.key AS key, l.file AS file, toString(l.since) AS since
"""

CLAIM: LiteralString = """
UNWIND $keys AS key
MATCH (l:ImportLock {key: key})
SET l.holder = $holder, l.file = $file, l.since = datetime(),
    l.until = datetime() + duration({milliseconds: $lease_ms})
"""

RELEASE: LiteralString = """
MATCH (l:ImportLock) WHERE l.key IN $keys AND l.holder = $holder
DELETE l
"""


class ImportRunning(Conflict):
    """Another import for the same organization is still running."""

    http_status = 409

    def __init__(self, key: str, file: str, since: str) -> None:
        whose_en = "any organization" if key == ANY else f"organization {key}"
        whose_zh = "全部机构" if key == ANY else f"机构 {key}"
        super().__init__(
            f"an import for {whose_en} is already running ({file}, since {since}): "
            "wait for it to end, then import again",
            f"{whose_zh} 已有一个导入正在进行（{file}，开始于 {since}）：请待其结束后再导入",
        )


def keys(owners: Collection[str] | None) -> list[str]:
    """The leases an import for `owners` (None: an admin's, any rows) holds."""
    return [ANY] if owners is None else sorted(owners)


async def _take(tx: Tx, keys: list[str], holder: str, file: str, lease_s: float) -> None:
    held = await tx.records(TAKE, keys=keys, holder=holder)
    if held:  # raising rolls back the leases this transaction took
        first = held[0]
        raise ImportRunning(first["key"], first["file"], first["since"])
    await tx.records(CLAIM, keys=keys, holder=holder, file=file, lease_ms=int(lease_s * 1000))


async def _give_back(tx: Tx, keys: list[str], holder: str) -> None:
    await tx.records(RELEASE, keys=keys, holder=holder)


async def take(db: Database, keys: list[str], file: str, seconds: float) -> str:
    """Take the leases of `keys` for an import of `file` that may run `seconds`; returns
    the holder id to give them back with. ImportRunning if another import holds one."""
    holder = uuid.uuid4().hex
    await db.write(_take, keys, holder, file, seconds + MARGIN_S)
    return holder


async def give_back(db: Database, keys: list[str], holder: str) -> None:
    await db.write(_give_back, keys, holder)


@asynccontextmanager
async def leased(db: Database, keys: list[str], file: str, seconds: float) -> AsyncIterator[None]:
    """Hold the leases of `keys` while the block runs."""
    holder = await take(db, keys, file, seconds)
    try:
        yield
    finally:
        await give_back(db, keys, holder)
