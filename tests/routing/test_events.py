"""Every routing change writes its events in the same transaction, numbered per receiver."""

from __future__ import annotations

from typing import Any

import pytest

from hub.db.driver import Database, Tx
from hub.errors import Conflict
from hub.events.outbox import Event, record
from hub.routing import service
from tests.registry import sample
from tests.routing.common import OTHER_PROVIDER, QUOTE, REQUESTER, STARTUP, member, raw


async def _events(tx: Tx) -> list[dict[str, Any]]:
    rows = await tx.records(
        "MATCH (e:OutboxEvent) RETURN e {.uscc, .seq, .type} AS e ORDER BY e.uscc, e.seq"
    )
    return [dict(r["e"]) for r in rows]


def _stream(events: list[dict[str, Any]], uscc: str) -> list[str]:
    return [e["type"] for e in events if e["uscc"] == uscc]


async def test_each_organization_hears_its_part_in_order(network: Database) -> None:
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=2)

    async def match_of(tx: Tx, uscc: str) -> str:
        row = await tx.single("MATCH (m:Match {uscc: $u}) RETURN m.id AS id", u=uscc)
        assert row is not None
        return str(row["id"])

    winner = await network.read(match_of, sample.USCC)
    await service.respond(network, member(sample.USCC), winner, QUOTE)
    await service.award(network, STARTUP, request_id, winner)
    await service.complete(network, STARTUP, request_id, on_time=True, rating=4)

    events = await network.read(_events)
    assert _stream(events, REQUESTER) == [
        "request.submitted",
        "request.routed",
        "match.accepted",
        "request.awarded",
        "request.completed",
    ]
    assert _stream(events, sample.USCC) == ["match.routed", "match.awarded", "request.completed"]
    assert _stream(events, OTHER_PROVIDER) == ["match.routed", "match.closed"]
    for uscc in (REQUESTER, sample.USCC, OTHER_PROVIDER):
        numbers = [e["seq"] for e in events if e["uscc"] == uscc]
        assert numbers == list(range(1, len(numbers) + 1))


async def test_a_refused_change_writes_no_event(network: Database) -> None:
    request_id = await service.submit(network, STARTUP, raw())
    before = await network.read(_events)
    await service.cancel(network, STARTUP, request_id)
    with pytest.raises(Conflict):
        await service.route(network, STARTUP, request_id)
    after = await network.read(_events)
    assert [e["type"] for e in after if e not in before] == ["request.cancelled"]


async def test_several_events_to_one_organization_in_one_change_are_numbered_in_order(
    clean: Database,
) -> None:
    async def emit(tx: Tx) -> None:
        await record(tx, [Event("A", "match.routed", f"r{i}") for i in range(5)])
        await record(tx, [Event("B", "request.routed", "r"), Event("A", "match.closed", "r9")])

    await clean.write(emit)
    events = await clean.read(_events)
    assert [(e["uscc"], e["seq"]) for e in events] == [("A", n) for n in range(1, 7)] + [("B", 1)]
    assert _stream(events, "A") == ["match.routed"] * 5 + ["match.closed"]
