"""Subscribing and making events, shared by the webhook tests."""

from __future__ import annotations

import asyncio

from hub.audit.log import Actor
from hub.config import Settings
from hub.db.driver import Database, Tx
from hub.routing import service as routing
from hub.webhooks import service
from hub.webhooks.service import Draft, WithSecret
from tests.routing.common import REQUESTER, STARTUP, raw

ACTOR = Actor("test")


async def subscribe(
    db: Database, settings: Settings, url: str, event_types: tuple[str, ...] = ()
) -> WithSecret:
    """The startup subscribes `url` to its own events."""
    return await service.create(
        db, STARTUP, settings, REQUESTER, Draft(url, "", event_types), ACTOR
    )


async def submit(db: Database, count: int) -> list[str]:
    """`count` requests submitted: one `request.submitted` event each, for the startup."""
    return [await routing.submit(db, STARTUP, raw(title=f"Batch {i}")) for i in range(count)]


async def committed(db: Database) -> list[int]:
    """The sequence numbers of the startup's events in the outbox."""

    async def read(tx: Tx) -> list[int]:
        rows = await tx.records(
            "MATCH (e:OutboxEvent {uscc: $u}) RETURN e.seq AS seq ORDER BY seq", u=REQUESTER
        )
        return [r["seq"] for r in rows]

    return await db.read(read)


def without_repeats(sequences: list[int]) -> list[int]:
    """A delivery log with retries folded: each run of one sequence number counts once."""
    return [s for i, s in enumerate(sequences) if i == 0 or sequences[i - 1] != s]


async def settled(db: Database) -> None:
    """Wait until the startup's subscriptions have passed every event (cursor moved):
    a receiver may have a message a moment before the dispatcher records it."""
    for _ in range(200):
        found = await service.subscriptions(db, STARTUP, REQUESTER)
        if all(s.backlog == 0 for s in found):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the subscriptions kept a backlog")
