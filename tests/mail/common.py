"""Helpers the mail tests share: queue messages, read them back, hold a send midway."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from email.message import EmailMessage
from typing import Any

from hub.db.driver import Database, Tx
from hub.mail.outbox import Mail, enqueue
from hub.mail.render import Rendered
from hub.mail.transport import Session, Transport


async def queue(db: Database, *mails: Mail) -> None:
    async def work(tx: Tx) -> None:
        await enqueue(tx, list(mails))

    await db.write(work)


async def _message(tx: Tx, key: str) -> dict[str, Any] | None:
    row = await tx.single("MATCH (m:MailMessage {key: $key}) RETURN m {.*} AS m", key=key)
    return None if row is None else dict(row["m"])


async def message(db: Database, key: str) -> dict[str, Any]:
    found = await db.read(_message, key)
    assert found is not None, key
    return found


async def _all_keys(tx: Tx) -> list[str]:
    rows = await tx.records("MATCH (m:MailMessage) RETURN m.key AS key ORDER BY key")
    return [r["key"] for r in rows]


async def keys(db: Database) -> list[str]:
    return await db.read(_all_keys)


async def _due_now(tx: Tx, key: str) -> None:
    """Time passes for one message: its retry delay or its sender's lease is over."""
    await tx.run(
        "MATCH (m:MailMessage {key: $key}) SET m.due_at = datetime() - duration('PT1S')", key=key
    )


async def make_due(db: Database, key: str) -> None:
    await db.write(_due_now, key)


async def _blocked_count(tx: Tx, text: str) -> int:
    rows = await tx.records(
        "SHOW TRANSACTIONS YIELD currentQuery, status "
        "WHERE status STARTS WITH 'Blocked' AND currentQuery CONTAINS $text "
        "RETURN count(*) AS n",
        text=text,
    )
    return int(rows[0]["n"])


async def blocked(db: Database, text: str) -> None:
    """Until a transaction running a query with `text` waits for a lock (at most 30 s)."""
    async with asyncio.timeout(30):
        # A condition polled, bounded in time: the waiting itself happens in Neo4j.
        while not await db.read(_blocked_count, text):  # noqa: ASYNC110
            await asyncio.sleep(0.05)


class Held:
    """A transport whose sends stop midway (after the claim, before the relay) until
    released: a step held open with an event, instead of a race against the clock."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    @asynccontextmanager
    async def session(self) -> AsyncIterator[Session]:
        async with self.inner.session() as session:
            yield _HeldSession(self, session)


class _HeldSession:
    def __init__(self, held: Held, inner: Session) -> None:
        self.held = held
        self.inner = inner

    async def send(self, email: EmailMessage, rendered: Rendered) -> None:
        self.held.entered.set()
        await self.held.release.wait()
        await self.inner.send(email, rendered)
