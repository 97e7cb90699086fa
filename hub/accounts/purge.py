"""Forgetting what no longer counts: sessions past their absolute end, links past their
expiry, rate-limit counters whose window is over. Each hub process runs it now and then
(several at once do no harm: a node is deleted once). The audit log keeps what happened.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import LiteralString

import structlog

from hub.db.driver import Database, Tx
from hub.errors import DatabaseUnavailable
from hub.time import now

log = structlog.get_logger("hub.accounts.purge")
BATCH = 1000

PURGE: LiteralString = """
CALL () {
  MATCH (s:Session) WHERE s.expires_at < $now
  WITH s LIMIT $batch DETACH DELETE s RETURN count(*) AS sessions
}
CALL () {
  MATCH (l:AccountLink) WHERE l.expires_at < $now
  WITH l LIMIT $batch DETACH DELETE l RETURN count(*) AS links
}
CALL () {
  MATCH (c:RateCounter) WHERE c.ends_at < $now
  WITH c LIMIT $batch DELETE c RETURN count(*) AS counters
}
RETURN sessions + links + counters AS purged
"""

ANY_DUE: LiteralString = """
RETURN EXISTS { MATCH (s:Session) WHERE s.expires_at < $now }
    OR EXISTS { MATCH (l:AccountLink) WHERE l.expires_at < $now }
    OR EXISTS { MATCH (c:RateCounter) WHERE c.ends_at < $now } AS due
"""


async def _due(tx: Tx, at: datetime) -> bool:
    row = await tx.single(ANY_DUE, now=at)
    return bool(row and row["due"])


async def _purge(tx: Tx, at: datetime) -> int:
    row = await tx.single(PURGE, now=at, batch=BATCH)
    return 0 if row is None else int(row["purged"])


async def purge(db: Database, at: datetime) -> int:
    """Delete up to BATCH of each kind; how many went. Reads first and writes only when
    something is due: a write changes the data's fingerprint (the response cache's)."""
    if not await db.read(_due, at):
        return 0
    return await db.write(_purge, at)


async def purge_forever(db: Database, interval: timedelta) -> None:
    while True:
        try:
            purged = await purge(db, now())
            if purged:
                log.info("purged ended sessions, links and counters", purged=purged)
        except DatabaseUnavailable:
            log.warning("purge skipped: database unavailable")
        except Exception:
            log.exception("purge failed")
        await asyncio.sleep(interval.total_seconds())
