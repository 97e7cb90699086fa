"""Near-misses name providers, not offerings (issue 14, items 2 and 3).

A provider appears at most once, with its best offering; a provider the request was
routed to, or that has an offering that fits, is never a near-miss; so after an award the
winner's reservation for this very request never makes it one.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from hub.audit.log import Actor
from hub.db.driver import Database, Tx
from hub.reference.store import reference
from hub.registry import rules
from hub.registry.store.writes import apply
from hub.routing import service
from tests import factories
from tests.registry import sample
from tests.routing.common import OTHER_PROVIDER, QUOTE, REQUESTER, STARTUP, member, raw
from tests.routing.test_routing_api import gql

NEAR_MISSES = """query($id: ID!) { request(id: $id) {
  matches { providerUscc } nearMisses { providerUscc offeringId constraint messageEn } } }"""


def _small(uscc: str, code: str) -> dict[str, Any]:
    """A second line of the provider that takes at most 100 (so fails a 2,000 request)."""
    return {
        **sample.rows(uscc)["offerings"][0],
        "offering": code,
        "scale_min": 10,
        "scale_max": 100,
        "equipment": "",
    }


async def _second_lines(tx: Tx) -> None:
    ref = await reference(tx)
    offerings = [
        _small(sample.USCC, "small"),
        _small(OTHER_PROVIDER, "small"),
        _small(OTHER_PROVIDER, "tiny"),
    ]
    await apply(tx, [rules.offering(r, ref) for r in offerings], Actor("test"))
    weeks = [
        rules.bucket(
            {"grain": "week", "start": date(2027, 1, 4) + timedelta(weeks=i), "total": 4000},
            f"{r['uscc']}/yz-1/{r['offering']}",
            "bioreactor_l_batch",
        )
        for r in offerings
        for i in range(8)
    ]
    await apply(tx, weeks, Actor("test"))  # so that scale is all they fail


@pytest.fixture
async def lines(network: Database) -> Database:
    await network.write(_second_lines)
    return network


async def _near_misses(db: Database, client: httpx.AsyncClient, request_id: str) -> Any:
    token = await factories.token(db, "cmc@startup.test", f"requester:{REQUESTER}")
    return (await gql(client, token, NEAR_MISSES, id=request_id))["request"]


async def test_an_eligible_provider_is_no_near_miss_and_others_appear_once(
    lines: Database, client: httpx.AsyncClient
) -> None:
    request_id = await service.submit(lines, STARTUP, raw())
    seen = await _near_misses(lines, client, request_id)
    # both providers have a line that fits: their small lines make no near-miss
    assert seen["nearMisses"] == []


async def test_a_provider_is_named_once_with_its_best_offering(
    lines: Database, client: httpx.AsyncClient
) -> None:
    async def retire_big_line(tx: Tx) -> None:
        await tx.run(
            "MATCH (f:Offering {id: $id}) SET f.active = false", id=f"{OTHER_PROVIDER}/yz-1/mab-usp"
        )

    await lines.write(retire_big_line)
    request_id = await service.submit(lines, STARTUP, raw())
    seen = await _near_misses(lines, client, request_id)
    assert [(m["providerUscc"], m["offeringId"], m["constraint"]) for m in seen["nearMisses"]] == [
        (OTHER_PROVIDER, f"{OTHER_PROVIDER}/yz-1/small", "SCALE")
    ]


async def test_the_winner_is_no_near_miss_of_its_own_request(
    lines: Database, client: httpx.AsyncClient
) -> None:
    # 3,000 of 4,000 a week: after the award the winner has 1,000 free, short of 3,000
    request_id = await service.submit(lines, STARTUP, raw(quantity=3000))
    await service.route(lines, STARTUP, request_id, k=2)
    seen = await _near_misses(lines, client, request_id)
    routed = {m["providerUscc"] for m in seen["matches"]}
    assert routed == {sample.USCC, OTHER_PROVIDER}
    match = await lines.read(_match_of, request_id, sample.USCC)
    await service.respond(lines, member(sample.USCC), match, QUOTE)
    await service.award(lines, STARTUP, request_id, match)
    seen = await _near_misses(lines, client, request_id)
    assert seen["nearMisses"] == []


async def _match_of(tx: Tx, request_id: str, uscc: str) -> str:
    row = await tx.single(
        "MATCH (:Request {id: $r})<-[:FOR]-(m:Match {uscc: $u}) RETURN m.id AS id",
        r=request_id,
        u=uscc,
    )
    assert row is not None
    return str(row["id"])
