"""No overbooking: 50 concurrent awards against one bucket of 10, repeated 20 times.

Awards go over HTTP to a live hub. The same load against a naive read-then-write award
(run as concurrent transactions here) overbooks, which shows the test can fail.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from hub.audit.log import Actor
from hub.db.driver import Database, Tx
from hub.errors import Conflict
from hub.identity.model import Principal, Role, RoleKind
from hub.registry import rules
from hub.registry.store.writes import apply
from tests import factories
from tests.registry import sample

REQUESTER = factories.uscc(8)
OWNER = f"{sample.USCC}/yz-1/tiny"
AWARDS, CAPACITY, REPEATS = 50, 10, 20
STARTUP = Principal(
    id="p-startup",
    handle="cmc@startup.test",
    roles=frozenset({Role(RoleKind.REQUESTER, REQUESTER)}),
)

PENDING = """
MATCH (o:Organization {uscc: $requester}), (p:Organization {uscc: $provider})
UNWIND range(1, $n) AS i
CREATE (r:Request {id: $tag + '-r' + i, status: 'routed', requester: $requester,
                   title: 'one batch', created_at: datetime(), currency: 'CNY',
                   capability: 'BIO.USP.FB', quantity: 1.0, unit: 'bioreactor_l_batch',
                   earliest_start: $start, need_by: $end, gmp_grade: 'non_gmp',
                   authorities: [], preferred_parks: []})
CREATE (m:Match {id: $tag + '-m' + i, request_id: r.id, status: 'accepted',
                 offering_id: $owner, uscc: $provider})
CREATE (o)-[:REQUESTED]->(r), (m)-[:FOR]->(r), (m)-[:ROUTED_TO]->(p)
"""


@pytest.fixture
async def tiny(clean: Database) -> Database:
    """An offering of 1-10 units with one weekly bucket of 10 per repetition."""
    await sample.load(clean)
    await factories.organization(clean, 8)
    offering = {
        **sample.rows()["offerings"][0],
        "offering": "tiny",
        "scale_min": 1,
        "scale_max": 10,
        "gmp_grade": "non_gmp",
        "equipment": "",
    }

    async def work(tx: Tx) -> None:
        from hub.reference.store import reference

        ref = await reference(tx)
        await apply(tx, [rules.offering(offering, ref)], Actor("test"))
        weeks = [
            rules.bucket(
                {"grain": "week", "start": _week(i), "total": CAPACITY}, OWNER, "bioreactor_l_batch"
            )
            for i in range(REPEATS)
        ]
        await apply(tx, weeks, Actor("test"))

    await clean.write(work)
    return clean


def _week(i: int) -> date:
    return date(2027, 1, 4) + timedelta(weeks=i)


async def _pending(db: Database, tag: str, week: date) -> None:
    async def work(tx: Tx) -> None:
        await tx.run(
            PENDING,
            requester=REQUESTER,
            provider=sample.USCC,
            n=AWARDS,
            tag=tag,
            start=week,
            end=week + timedelta(days=6),
            owner=OWNER,
        )

    await db.write(work)


async def _bucket(tx: Tx, week: date) -> dict[str, Any]:
    row = await tx.single(
        "MATCH (b:CapacityBucket {owner_id: $owner}) "
        "WHERE date(b.start) = $week RETURN b {.*} AS b",
        owner=OWNER,
        week=week,
    )
    assert row is not None
    return dict(row["b"])


async def _outcomes(awards: list[Any]) -> tuple[int, int]:
    results = await asyncio.gather(*awards, return_exceptions=True)
    unexpected = [
        r for r in results if isinstance(r, BaseException) and not isinstance(r, Conflict)
    ]
    assert not unexpected, unexpected[:3]
    won = sum(1 for r in results if not isinstance(r, BaseException))
    return won, len(results) - won


AWARD = """mutation($r: ID!, $m: ID!) { awardMatch(requestId: $r, matchId: $m) {
  __typename ... on Problem { code message } } }"""


async def _award_over_http(client: httpx.AsyncClient, token: str, tag: str, n: int) -> None:
    response = await client.post(
        "/graphql",
        headers={"authorization": f"Bearer {token}"},
        json={"query": AWARD, "variables": {"r": f"{tag}-r{n}", "m": f"{tag}-m{n}"}},
    )
    assert response.status_code == 200, response.text
    result = response.json()["data"]["awardMatch"]
    if result["__typename"] != "RequestChanged":
        assert result["code"] == "CONFLICT", result
        raise Conflict(result["message"], result["message"])


async def test_concurrent_awards_over_http_never_overbook(
    tiny: Database,
    client: httpx.AsyncClient,
) -> None:
    token = await factories.token(tiny, "cmc@startup.test", f"requester:{REQUESTER}")
    for i in range(REPEATS):
        tag = f"rep{i}"
        await _pending(tiny, tag, _week(i))
        won, refused = await _outcomes(
            [_award_over_http(client, token, tag, n) for n in range(1, AWARDS + 1)]
        )
        bucket = await tiny.read(_bucket, _week(i))
        assert (won, refused) == (CAPACITY, AWARDS - CAPACITY)
        assert bucket["reserved"] == bucket["total"] == CAPACITY


async def _naive_award(db: Database, week: date) -> None:
    """Read, check, then write what was read plus one: the lost-update bug."""
    bucket = await db.read(_bucket, week)
    if bucket["reserved"] + 1 > bucket["total"]:
        raise Conflict("full", "已满")

    async def write(tx: Tx) -> None:
        await tx.run(
            "MATCH (b:CapacityBucket {id: $id}) SET b.reserved = $reserved",
            id=bucket["id"],
            reserved=bucket["reserved"] + 1,
        )

    await db.write(write)


async def test_the_same_load_overbooks_a_naive_read_then_write_award(tiny: Database) -> None:
    overbooked = 0
    for i in range(REPEATS):
        won, _ = await _outcomes([_naive_award(tiny, _week(i)) for _ in range(AWARDS)])
        overbooked += won > CAPACITY
    assert overbooked > 0, "the naive version should have promised more than there is"
