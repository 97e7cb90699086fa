"""The deadline sweeper: a background task of each hub process that expires matches not
answered in time and routes their requests on (the cascade).

Several processes may sweep at once: each request is handled in a transaction that
locks it first and re-checks every deadline, so a second sweeper finds nothing to do.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import structlog

from hub.db.driver import Database
from hub.errors import DatabaseUnavailable
from hub.routing.service import expire_overdue

log = structlog.get_logger("hub.routing.sweeper")


async def sweep_forever(db: Database, interval_s: float, k: int) -> None:
    """Sweep every `interval_s` seconds until cancelled; a failed sweep is logged, not fatal."""
    while True:
        try:
            expired = await expire_overdue(db, datetime.now(UTC), k)
            if expired:
                log.info("expired matches and routed on", requests=expired)
        except DatabaseUnavailable:
            log.warning("sweep skipped: database unavailable")
        except Exception:
            log.exception("sweep failed")
        await asyncio.sleep(interval_s)
