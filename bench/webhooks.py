"""Webhooks through a receiver outage (RELIABILITY.md: "receiver down 5 min while
3 providers x 200 events are emitted").

Three organizations each have a subscription to their own real local receiver; two
dispatchers run (as two hub processes would). The receivers go down, 600 events are
emitted over the outage, the receivers come back, and the script reports how long full
delivery took, whether every receiver got its events in order, and how repeats (same
`webhook-id`) were spread. Run: `python -m bench.webhooks --down-s 300`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time

import httpx

from bench.common import neo4j
from hub.audit.log import Actor
from hub.config import Settings
from hub.db.driver import Database, Tx, open_driver
from hub.db.migrations import migrate
from hub.events.outbox import Event, record
from hub.identity.model import Principal, Role, RoleKind
from hub.reference.seed import load_reference
from hub.webhooks import service
from hub.webhooks.dispatcher import Dispatcher
from tests import factories
from tests.webhooks.common import without_repeats
from tests.webhooks.receiver import Receiver

ORGANIZATIONS = 3
ADMIN = Principal(id="bench", handle="bench", roles=frozenset({Role(RoleKind.ADMIN)}))


async def _emit(db: Database, organizations: list[str], count: int, over_s: float) -> None:
    """`count` events per organization, in 20 rounds spread over `over_s` seconds."""
    rounds = 20
    for n in range(rounds):

        async def work(tx: Tx, n: int = n) -> None:
            per_round = count // rounds
            events = [
                Event(uscc, "match.routed", f"bench-{n}-{i}", data={"round": n})
                for uscc in organizations
                for i in range(per_round)
            ]
            await record(tx, events)

        await db.write(work)
        await asyncio.sleep(over_s / rounds)


async def run(settings: Settings, down_s: float, events: int) -> None:
    async with open_driver(settings) as driver:
        db = Database(driver, settings.neo4j_database)
        await migrate(db)
        await load_reference(db)
        organizations = [await factories.organization(db, 900 + n) for n in range(ORGANIZATIONS)]
        receivers = [Receiver() for _ in organizations]  # not listening: down
        for uscc, receiver in zip(organizations, receivers, strict=True):
            draft = service.Draft(receiver.url)
            await service.create(db, ADMIN, settings, uscc, draft, Actor("bench"))
        async with contextlib.AsyncExitStack() as stack:
            tasks = []
            for _ in range(2):
                http = await stack.enter_async_context(httpx.AsyncClient())
                tasks.append(asyncio.create_task(Dispatcher(db, http, settings).run_forever()))
            began = time.monotonic()
            await _emit(db, organizations, events, down_s)
            for receiver in receivers:
                receiver.start()
            up = time.monotonic()
            print(f"receivers down {up - began:.0f} s while {events} events each were emitted")
            for receiver in receivers:
                await receiver.wait_for(events, timeout_s=down_s + 600)
            done = time.monotonic()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for uscc, receiver in zip(organizations, receivers, strict=True):
            sequences = receiver.sequences()
            ids: dict[int, str] = {}
            consistent = all(
                ids.setdefault(m.sequence, m.headers["webhook-id"]) == m.headers["webhook-id"]
                for m in receiver.messages()
            )
            print(
                f"{uscc}: {len(set(sequences))}/{events} delivered, "
                f"in order: {without_repeats(sequences) == list(range(1, events + 1))}, "
                f"repeats: {len(sequences) - len(set(sequences))} (same webhook-id: {consistent})"
            )
            receiver.stop()
        print(f"all delivered {done - up:.1f} s after the receivers came back")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--down-s", type=float, default=300)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--backoff-max-s", type=float, default=30)
    args = parser.parse_args()
    with neo4j(heap="1g", pagecache="512m") as settings:
        tuned = settings.model_copy(
            update={
                "webhook_allow_private": True,
                "webhook_backoff_base_s": 1.0,
                "webhook_backoff_max_s": args.backoff_max_s,
                "events_poll_interval_s": 0.5,
            }
        )
        asyncio.run(run(tuned, args.down_s, args.events))


if __name__ == "__main__":
    main()
