"""Reminders: a periodic scan of every hub process that queues what is due now.

- 24 hours before a routed match's answer deadline (`deadline_soon`);
- a certificate ending in 90 days, and again in 30 (`certificate_expiring`);
- a firm whose published capacity nobody confirmed for 30 days (`capacity_unconfirmed`).

Each reminder's outbox key names what it is about (the match; the certificate, its end and
the stage; the firm and its last confirmation) and the person, so it goes at most once
however many processes scan and however often (store/reminders.py). A scan that misses
its moment (the hub was down) catches up at the next: whatever is still due is sent.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import LiteralString

import structlog

from hub.db.driver import Database, Tx
from hub.errors import DatabaseUnavailable
from hub.mail.kinds import Kind
from hub.mail.outbox import Mail, enqueue
from hub.mail.store import reminders
from hub.time import CHINA

log = structlog.get_logger("hub.mail.reminders")

LIMIT = 500  # reminders of one kind queued by one scan at most; the next scan goes on
SCANS: tuple[tuple[Kind, LiteralString], ...] = (
    (Kind.DEADLINE_SOON, reminders.DEADLINE_SOON),
    (Kind.CERTIFICATE_EXPIRING, reminders.CERTIFICATE_EXPIRING),
    (Kind.CAPACITY_UNCONFIRMED, reminders.CAPACITY_UNCONFIRMED),
)


async def due(tx: Tx, kind: Kind, query: LiteralString, now: datetime) -> list[Mail]:
    rows = await tx.records(query, now=now, today=now.astimezone(CHINA).date(), limit=LIMIT)
    return [
        Mail(r["key"], r["person"]["email"], r["person"]["language"], kind, dict(r["values"]))
        for r in rows
    ]


async def scan(db: Database, now: datetime) -> int:
    """Queue every reminder due at `now` not queued before; returns how many were queued."""

    async def work(tx: Tx) -> int:
        mails = [mail for kind, query in SCANS for mail in await due(tx, kind, query, now)]
        await enqueue(tx, mails)
        return len(mails)

    return await db.write(work)


async def scan_forever(db: Database, interval_s: float) -> None:
    """Scan every `interval_s` seconds until cancelled; a failed scan is logged, not fatal."""
    while True:
        try:
            queued = await scan(db, datetime.now(UTC))
            if queued:
                log.info("reminders queued", messages=queued)
        except DatabaseUnavailable:
            log.warning("reminder scan skipped: database unavailable")
        except Exception:
            log.exception("reminder scan failed")
        await asyncio.sleep(interval_s)
