"""The routing flow: submit, route to the best K, answer, cascade, award, cancel, complete."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from hub.db.driver import Database, Tx, counting_round_trips
from hub.errors import Conflict, InvalidInput, NotFound
from hub.fit.summary import refresh_all
from hub.routing import service
from tests import factories
from tests.registry import sample
from tests.routing.common import OTHER_PROVIDER, QUOTE, STARTUP, member, raw


async def _request(tx: Tx, request_id: str) -> dict[str, Any]:
    row = await tx.single(
        "MATCH (r:Request {id: $id}) RETURN r {.*, matches: [(r)<-[:FOR]-(m:Match) | m {.*}]} AS r",
        id=request_id,
    )
    assert row is not None
    return dict(row["r"])


async def _matches(db: Database, request_id: str) -> dict[str, dict[str, Any]]:
    request = await db.read(_request, request_id)
    return {m["uscc"]: m for m in request["matches"]}


async def test_a_request_is_routed_to_the_providers_that_can_take_it(network: Database) -> None:
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=3)
    matches = await _matches(network, request_id)
    assert set(matches) == {sample.USCC, OTHER_PROVIDER}
    assert {m["status"] for m in matches.values()} == {"routed"}
    assert all(m["deadline"] > m["routed_at"] for m in matches.values())
    assert '"headroom"' in matches[sample.USCC]["score_parts"]
    assert (await network.read(_request, request_id))["status"] == "routed"


async def test_k_limits_the_matches_and_a_decline_cascades(network: Database) -> None:
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=1)
    [first] = (await _matches(network, request_id)).values()
    await service.respond(network, member(first["uscc"]), first["id"], None, "fully booked", k=1)
    matches = await _matches(network, request_id)
    assert matches[first["uscc"]]["status"] == "declined"
    [second] = [m for m in matches.values() if m["status"] == "routed"]
    assert second["uscc"] != first["uscc"]
    await service.respond(network, member(second["uscc"]), second["id"], None, "no", k=1)
    assert (await network.read(_request, request_id))["status"] == "unfilled"


async def _overdue(tx: Tx) -> None:
    await tx.run(
        "MATCH (m:Match {status: 'routed'}) SET m.deadline = datetime() - duration('PT1M')"
    )


async def test_a_missed_deadline_expires_and_cascades(network: Database) -> None:
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=1)
    await network.write(_overdue)
    # A live hub's own sweeper may get there first; either way, exactly one cascade.
    assert await service.expire_overdue(network, datetime.now(UTC), k=1) in (0, 1)
    statuses = sorted(m["status"] for m in (await _matches(network, request_id)).values())
    assert statuses == ["expired", "routed"]
    assert await service.expire_overdue(network, datetime.now(UTC), k=1) == 0


async def _reserved(tx: Tx, owner: str) -> list[float]:
    rows = await tx.records(
        "MATCH (b:CapacityBucket {owner_id: $o}) RETURN b.reserved AS r ORDER BY b.start", o=owner
    )
    return [r["r"] for r in rows]


async def test_award_reserves_every_period_and_cancel_releases(network: Database) -> None:
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=2)
    matches = await _matches(network, request_id)
    chosen = matches[sample.USCC]
    await service.respond(network, member(sample.USCC), chosen["id"], QUOTE)
    await service.award(network, STARTUP, request_id, chosen["id"])
    owner = chosen["offering_id"]
    assert await network.read(_reserved, owner) == [2000.0] * 4 + [0.0] * 4
    after = await _matches(network, request_id)
    assert (after[sample.USCC]["status"], after[OTHER_PROVIDER]["status"]) == ("awarded", "closed")
    await service.cancel(network, STARTUP, request_id)
    assert await network.read(_reserved, owner) == [0.0] * 8
    assert (await network.read(_request, request_id))["status"] == "cancelled"


async def test_complete_records_the_outcome_that_feeds_the_track_record(
    network: Database,
) -> None:
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=1)
    [match] = (await _matches(network, request_id)).values()
    await service.respond(network, member(match["uscc"]), match["id"], QUOTE)
    await service.award(network, STARTUP, request_id, match["id"])
    await service.complete(network, STARTUP, request_id, on_time=True, rating=5)
    done = await network.read(_request, request_id)
    assert (done["status"], done["on_time"], done["rating"]) == ("completed", True, 5)
    again = await service.submit(
        network, STARTUP, raw(earliest_start="2027-02-01", need_by="2027-02-21")
    )
    await service.route(network, STARTUP, again, k=2)
    scores = {m["uscc"]: m for m in (await _matches(network, again)).values()}
    assert '"worked together before"' in scores[match["uscc"]]["score_parts"]
    assert scores[match["uscc"]]["rank"] == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": -5}, "quantity"),
        ({"need_by": "2026-12-01"}, "need_by"),
        ({"unit": "kg_batch"}, "unit"),
        ({"capability": "NOPE"}, "capability"),
        ({"capability": "BIO"}, "capability"),
        ({"requester": "91110000MA00000010"}, "requester"),
        ({"max_distance_km": 50}, "max_distance_km"),
        ({"budget_min": 5_000_000}, "budget_max"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "C1Y"}, "currency"),
    ],
)
async def test_bad_requests_name_the_field(
    network: Database, change: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        await service.submit(network, STARTUP, raw(**change))
    assert refused.value.field == field


async def test_illegal_transitions_name_the_current_status(network: Database) -> None:
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=1)
    [match] = (await _matches(network, request_id)).values()
    with pytest.raises(Conflict, match="the match is routed; it cannot become awarded"):
        await service.award(network, STARTUP, request_id, match["id"])
    await service.cancel(network, STARTUP, request_id)
    with pytest.raises(Conflict, match="the request is cancelled; it cannot become routed"):
        await service.route(network, STARTUP, request_id)
    with pytest.raises(Conflict, match="the match is closed; it cannot become accepted"):
        await service.respond(network, member(match["uscc"]), match["id"], QUOTE)


async def test_others_see_requests_and_matches_as_missing(network: Database) -> None:
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=1)
    [match] = (await _matches(network, request_id)).values()
    stranger = member(factories.uscc(99))
    with pytest.raises(NotFound):
        await service.route(network, stranger, request_id)
    with pytest.raises(NotFound):
        await service.respond(network, stranger, match["id"], QUOTE)
    with pytest.raises(NotFound):
        await service.submit(network, stranger, raw())


async def test_a_missed_deadline_cannot_be_answered(network: Database) -> None:
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=1)
    await network.write(_overdue)
    [match] = (await _matches(network, request_id)).values()
    # Refused whether or not a sweeper has already marked it expired.
    with pytest.raises(Conflict, match=r"deadline|the match is expired"):
        await service.respond(network, member(match["uscc"]), match["id"], QUOTE)
    assert (await _matches(network, request_id))[match["uscc"]]["status"] != "accepted"


async def test_the_hub_sweeps_missed_deadlines_by_itself(
    network: Database, client: httpx.AsyncClient
) -> None:
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=1)
    await network.write(_overdue)
    for _ in range(100):
        statuses = sorted(m["status"] for m in (await _matches(network, request_id)).values())
        if statuses == ["expired", "routed"]:
            return
        await asyncio.sleep(0.1)
    pytest.fail(f"the live hub did not sweep the missed deadline: {statuses}")


async def test_routing_costs_a_constant_number_of_queries(network: Database) -> None:
    request_id = await service.submit(network, STARTUP, raw())
    with counting_round_trips() as queries:
        await service.route(network, STARTUP, request_id, k=3)
    # lock the request, rank and cut the candidates (scores included), create matches and
    # set the status, audit, record the events
    assert len(queries) == 5


async def _second_offering(tx: Tx) -> None:
    """The sample provider offers the same service a second time (another line)."""
    await tx.run(
        "MATCH (s:Site)-[:OFFERS]->(f:Offering) WHERE f.id STARTS WITH $uscc "
        "CREATE (g:Offering) SET g = f {.*, id: f.id + '-line2'} "
        "CREATE (s)-[:OFFERS]->(g) "
        "WITH f, g MATCH (f)-[:HAS_CAPACITY]->(b:CapacityBucket) "
        "CREATE (c:CapacityBucket) SET c = b {.*, id: b.id + '-line2', owner_id: g.id} "
        "CREATE (g)-[:HAS_CAPACITY]->(c)",
        uscc=sample.USCC,
    )
    await refresh_all(tx)  # written past hub.registry.store.entities, which would have refreshed


async def test_a_provider_hears_of_a_request_once_with_its_best_offering(
    network: Database,
) -> None:
    await network.write(_second_offering)
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=3)
    request = await network.read(_request, request_id)
    providers = sorted(m["uscc"] for m in request["matches"])
    assert providers == sorted([sample.USCC, OTHER_PROVIDER])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"price": 0}, "quote.price"),
        ({"price": -5}, "quote.price"),
        ({"price": 2e11}, "quote.price"),
        ({"currency": "XYZ"}, "quote.currency"),
        ({"currency": "CNYX"}, "quote.currency"),
        ({"lead_time_days": 4000}, "quote.lead_time_days"),
        ({"valid_until": datetime(2020, 1, 1, tzinfo=UTC)}, "quote.valid_until"),
    ],
)
async def test_the_service_judges_a_quote_and_names_its_field(
    network: Database, change: dict[str, Any], field: str
) -> None:
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=1)
    [match] = (await _matches(network, request_id)).values()
    with pytest.raises(InvalidInput) as refused:
        await service.respond(network, member(match["uscc"]), match["id"], replace(QUOTE, **change))
    assert refused.value.field == field
    assert (await _matches(network, request_id))[match["uscc"]]["status"] == "routed"


async def test_a_currency_code_is_read_in_capitals(network: Database) -> None:
    request_id = await service.submit(network, STARTUP, raw(currency="usd"))
    assert (await network.read(_request, request_id))["currency"] == "USD"
    await service.route(network, STARTUP, request_id, k=1)
    [match] = (await _matches(network, request_id)).values()
    await service.respond(
        network, member(match["uscc"]), match["id"], replace(QUOTE, currency="cny")
    )
    assert (await _matches(network, request_id))[match["uscc"]]["quote_currency"] == "CNY"
