"""The track records kept on organizations (hub.routing.store.track_record) are the counts of
the requests and matches in the graph, after every kind of write that changes them."""

from __future__ import annotations

from typing import Any

from hub.db import migrations
from hub.db.driver import Database, Tx
from hub.routing import service
from hub.routing.store import track_record
from tests.registry import sample
from tests.routing.common import OTHER_PROVIDER, QUOTE, REQUESTER, STARTUP, member, raw

KEPT = """
MATCH (o:Organization) WHERE o.uscc IN $usccs
RETURN o.uscc AS uscc,
       {completed: coalesce(o.track_completed, 0), on_time: coalesce(o.track_on_time, 0),
        rated: coalesce(o.track_rated, 0), rating_sum: coalesce(o.track_rating_sum, 0),
        routed: coalesce(o.track_routed, 0), answered: coalesce(o.track_answered, 0),
        partners: coalesce(o.track_partners, [])} AS record
"""

USCCS = sorted({REQUESTER, sample.USCC, OTHER_PROVIDER})


async def _kept(tx: Tx) -> dict[str, dict[str, Any]]:
    rows = await tx.records(KEPT, usccs=USCCS)
    return {r["uscc"]: dict(r["record"]) for r in rows}


async def _recounted(tx: Tx) -> dict[str, dict[str, Any]]:
    await tx.run(track_record.RECOUNT, usccs=USCCS)
    return await _kept(tx)


async def _migrated(tx: Tx) -> dict[str, dict[str, Any]]:
    """The counts as migration 0013 makes them from the graph, after forgetting them."""
    await tx.run(
        "MATCH (o:Organization) REMOVE o.track_completed, o.track_on_time, o.track_rated, "
        "o.track_rating_sum, o.track_routed, o.track_answered, o.track_partners"
    )
    [migration] = [m for m in migrations.load() if m.id == "0013"]
    for statement in migration.statements:
        await tx.run(statement)
    return await _kept(tx)


async def _matches(tx: Tx, request_id: str) -> dict[str, dict[str, Any]]:
    rows = await tx.records(
        "MATCH (:Request {id: $id})<-[:FOR]-(m:Match) RETURN m {.id, .uscc} AS m", id=request_id
    )
    return {r["m"]["uscc"]: dict(r["m"]) for r in rows}


async def test_routing_answering_and_completing_keep_the_counts(network: Database) -> None:
    first = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, first, k=2)
    matches = await network.read(_matches, first)
    assert set(matches) == {sample.USCC, OTHER_PROVIDER}
    winner, loser = matches[sample.USCC], matches[OTHER_PROVIDER]
    await service.respond(network, member(OTHER_PROVIDER), loser["id"], None, "booked", k=2)
    await service.respond(network, member(sample.USCC), winner["id"], QUOTE)
    await service.award(network, STARTUP, first, winner["id"])
    await service.complete(network, STARTUP, first, on_time=False, rating=4)
    second = await service.submit(
        network, STARTUP, raw(earliest_start="2027-02-01", need_by="2027-02-21")
    )
    await service.route(network, STARTUP, second, k=1)
    routed_again = sample.USCC in await network.read(_matches, second)

    kept = await network.read(_kept)
    assert kept[sample.USCC] == {
        "completed": 1,
        "on_time": 0,
        "rated": 1,
        "rating_sum": 4,
        "routed": 1 + routed_again,
        "answered": 1,
        "partners": [],
    }
    assert kept[OTHER_PROVIDER]["answered"] == 1
    assert kept[REQUESTER]["partners"] == [sample.USCC]
    assert await network.write(_recounted) == kept
    assert await network.write(_migrated) == kept


async def test_the_scores_read_the_kept_counts(network: Database) -> None:
    first = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, first, k=1)
    [winner] = (await network.read(_matches, first)).values()
    await service.respond(network, member(winner["uscc"]), winner["id"], QUOTE)
    await service.award(network, STARTUP, first, winner["id"])
    await service.complete(network, STARTUP, first, on_time=True, rating=5)
    second = await service.submit(
        network, STARTUP, raw(earliest_start="2027-02-01", need_by="2027-02-21")
    )
    await service.route(network, STARTUP, second, k=2)
    row = await network.read(
        lambda tx: tx.single(
            "MATCH (m:Match {request_id: $id, uscc: $uscc}) RETURN m.score_parts AS parts",
            id=second,
            uscc=winner["uscc"],
        )
    )
    assert row is not None
    assert "1 completed, 1 on time" in row["parts"]
    assert "1 of 1 answered in time" in row["parts"]
    assert "worked together before" in row["parts"]
