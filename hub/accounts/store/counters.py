"""Rate-limit counters: one node per counted thing, shared by every hub process.

A counter counts attempts in a window that starts with the first attempt and lasts the
limit's `window_s`; after it, the next attempt starts a new window. Taking several at
once is all or nothing: each counter is locked first (in key order, so two takers
cannot deadlock), then read, then all are incremented only if none is full. The lock is
held to commit, so two processes can never both take the last place.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from hub.db.driver import Tx, python_value

TAKE: LiteralString = """
UNWIND $counters AS k
MERGE (c:RateCounter {key: k.key})
ON CREATE SET c.started_at = $now, c.count = 0, c.window = $window
SET c._lock = true
WITH c, k, c.started_at + duration({seconds: k.window_s}) <= $now AS over
WITH c, k, over, CASE WHEN over THEN 0 ELSE c.count END AS used,
     CASE WHEN over THEN $now ELSE c.started_at END AS started
WITH collect({c: c, k: k, used: used, started: started, over: over}) AS rows
WITH rows, all(r IN rows WHERE r.used < r.k.count) AS free
UNWIND rows AS r
WITH r, free, r.c AS c, r.started + duration({seconds: r.k.window_s}) AS ends
SET c.count = r.used + CASE WHEN free THEN 1 ELSE 0 END, c.started_at = r.started,
    c.ends_at = ends, c.window = CASE WHEN r.over THEN $window ELSE c.window END
REMOVE c._lock
RETURN free, r.k.key AS key, c.window AS window, ends, r.used >= r.k.count AS full
"""

# A place is given back to the window it was taken in only (a new window owes nothing).
GIVE_BACK: LiteralString = """
UNWIND $taken AS t
MATCH (c:RateCounter {key: t.key})
SET c._lock = true
WITH c, t, c.window = t.window AND c.count > 0 AS owed
SET c.count = c.count - CASE WHEN owed THEN 1 ELSE 0 END
REMOVE c._lock
"""


@dataclass(frozen=True)
class Taken:
    """The places taken (key and window), or when the first full counter frees one."""

    places: list[dict[str, Any]]
    full_until: datetime | None  # None: taken


async def take(tx: Tx, counters: list[dict[str, Any]], now: datetime) -> Taken:
    """One place in each counter (`key`, `count`, `window_s`), or none if one is full."""
    ordered = sorted(counters, key=lambda k: k["key"])
    rows = await tx.records(TAKE, counters=ordered, now=now, window=str(uuid.uuid4()))
    if all(r["free"] for r in rows):
        return Taken([{"key": r["key"], "window": r["window"]} for r in rows], None)
    ends = [python_value(r["ends"]) for r in rows if r["full"]]
    return Taken([], max(ends))


async def give_back(tx: Tx, places: list[dict[str, Any]]) -> None:
    """Free the places taken (an attempt that turned out not to count)."""
    if places:
        await tx.run(GIVE_BACK, taken=sorted(places, key=lambda p: p["key"]))
