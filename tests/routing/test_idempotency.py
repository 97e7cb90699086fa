"""A retried mutation with the same idempotency key has exactly one effect."""

from __future__ import annotations

import asyncio

import pytest

from hub.db.driver import Database, Tx
from hub.errors import Conflict
from hub.routing import service
from tests.routing.common import QUOTE, STARTUP, member, raw


async def _count(tx: Tx, label: str) -> int:
    row = await tx.single("MATCH (n) WHERE $l IN labels(n) RETURN count(n) AS n", l=label)
    assert row is not None
    return int(row["n"])


async def test_a_retried_submit_returns_the_first_answer(network: Database) -> None:
    first = await service.submit(network, STARTUP, raw(), key="order-1")
    again = await service.submit(network, STARTUP, raw(), key="order-1")
    assert again == first
    assert await network.read(_count, "Request") == 1


async def test_concurrent_retries_have_one_effect(network: Database) -> None:
    ids = await asyncio.gather(
        *[service.submit(network, STARTUP, raw(), key="order-2") for _ in range(8)]
    )
    assert len(set(ids)) == 1
    assert await network.read(_count, "Request") == 1


async def test_the_same_key_with_another_payload_is_refused(network: Database) -> None:
    await service.submit(network, STARTUP, raw(), key="order-3")
    with pytest.raises(Conflict) as refused:
        await service.submit(network, STARTUP, raw(quantity=1000), key="order-3")
    assert refused.value.field == "idempotencyKey"


async def _reserved(tx: Tx) -> float:
    row = await tx.single("MATCH (b:CapacityBucket) RETURN sum(b.reserved) AS r")
    assert row is not None
    return float(row["r"])


async def _match(tx: Tx) -> tuple[str, str]:
    row = await tx.single("MATCH (m:Match) RETURN m.id AS id, m.uscc AS uscc")
    assert row is not None
    return str(row["id"]), str(row["uscc"])


async def test_retried_route_answer_and_award_act_once(network: Database) -> None:
    request_id = await service.submit(network, STARTUP, raw())
    for _ in range(2):
        await service.route(network, STARTUP, request_id, k=1, key="route-1")
    assert await network.read(_count, "Match") == 1
    match_id, provider = await network.read(_match)
    for _ in range(2):
        assert (
            await service.respond(network, member(provider), match_id, QUOTE, key="answer-1")
            == "accepted"
        )
    for _ in range(3):
        await service.award(network, STARTUP, request_id, match_id, key="award-1")
    assert await network.read(_reserved) == 4 * 2000
