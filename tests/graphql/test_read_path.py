"""The registry's read path: one round-trip per level of the answer at most (compiled
reads), answers equal to the loaders' field for field, shared reference data, and the
driver's refusals when the pool is full."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import neo4j
import pytest

from hub.config import Settings
from hub.db.driver import Database, Tx, counting_round_trips
from hub.errors import DatabaseUnavailable
from hub.graphql import response_cache
from hub.reference import cache as reference_cache
from hub.reference import store as reference_store
from hub.registry import graphql as registry_graphql
from tests import factories
from tests.registry import sample

ORGANIZATION = """query($u: String!) { organization(uscc: $u) {
  uscc nameZh nameEn kind licenceNumbers fdaFei website active fictional parkCodes
  parks { code nameEn } contact { name email phone } internalNote
  certificates { id authority number validFrom validTo lastInspection outcome siteCodes
    capabilityCodes active status }
  sites { id code nameZh nameEn address city district lat lon active parkCode park { code }
    equipment { tag model }
    offerings { id code capabilityCode unit gmpGrade scaleMin scaleMax modality leadTimeDays
      descriptionZh descriptionEn equipmentTags active capability { code unitCode }
      ...Buckets } } } }
fragment Buckets on Offering { capacity(from: "2027-01-04", to: "2027-01-31") {
  id grain start end total reserved unit confirmedAt free stale } }"""

NESTED = """query($u: String!) { organization(uscc: $u) { uscc nameZh
  sites { code nameZh offerings { id code gmpGrade scaleMin scaleMax } } } }"""

PARK = """query($p: [String!]) { organizations(filter: {parks: $p}, first: 50) {
  edges { cursor node { uscc nameZh
    sites { code offerings { id capability { code nameEn } } }
    certificates { number status validTo } } }
  pageInfo { hasNextPage endCursor } } }"""

OFFERINGS = """query($c: String!) { offerings(filter: {capability: $c}, first: 100) {
  edges { node { id code
    site { code nameZh city park { code } }
    organization { uscc nameZh contact { email } }
    capacity(from: "2027-01-04", to: "2027-01-31") { start free } } } } }"""

USCCS = [sample.USCC, *(factories.uscc(3000 + n) for n in range(4))]


def bearer(secret: str | None) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"} if secret else {}


async def ask(
    client: httpx.AsyncClient, query: str, token: str | None = None, **variables: Any
) -> dict[str, Any]:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=bearer(token)
    )
    body: dict[str, Any] = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body


@pytest.fixture
async def providers(clean: Database) -> Database:
    for uscc in USCCS:
        await sample.load(clean, uscc, capacity_weeks=4)
    return clean


def without_token_check(queries: list[str]) -> list[str]:
    return [q for q in queries if "ApiToken" not in q]


async def test_each_read_costs_one_or_two_round_trips(
    providers: Database, app_client: httpx.AsyncClient
) -> None:
    admin = await factories.token(providers, "ops@hub.test", "admin")
    await ask(app_client, ORGANIZATION, u=sample.USCC)  # reference data: shared, read once
    with response_cache.bypassed():
        with counting_round_trips() as one:
            org = await ask(app_client, NESTED, admin, u=sample.USCC)
        with counting_round_trips() as everything:
            await ask(app_client, ORGANIZATION, admin, u=sample.USCC)
        with counting_round_trips() as park:
            page = await ask(app_client, PARK, admin, p=["BJ-ETOWN"])
        with counting_round_trips() as found:
            offerings = await ask(app_client, OFFERINGS, admin, c="BIO.USP")
    assert org["data"]["organization"]["sites"][0]["offerings"][0]["scaleMax"] == 4000
    assert len(page["data"]["organizations"]["edges"]) == len(USCCS)
    assert all(
        e["node"]["organization"]["contact"] for e in offerings["data"]["offerings"]["edges"]
    )
    assert len(without_token_check(one)) == 1, one
    # every field beneath an organization; equipment comes through its loader
    assert len(without_token_check(everything)) == 2, [q[:300] for q in everything]
    assert len(without_token_check(park)) == 1, park
    assert len(without_token_check(found)) == 1, found  # the search with what is beneath


@pytest.mark.parametrize("who", ["anonymous", "requester", "member", "admin"])
async def test_compiled_answers_equal_the_loaders_answers(
    providers: Database,
    app_client: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
    who: str,
) -> None:
    startup = await factories.organization(providers, 77)
    roles = {"requester": f"requester:{startup}", "member": f"provider:{sample.USCC}"}
    token = None
    if who != "anonymous":
        token = await factories.token(providers, f"{who}@hub.test", roles.get(who, "admin"))
    reads = [
        (ORGANIZATION, {"u": sample.USCC}),
        (PARK, {"p": ["BJ-ETOWN"]}),
        (OFFERINGS, {"c": "BIO.USP"}),
    ]
    with response_cache.bypassed():
        compiled = [await ask(app_client, q, token, **v) for q, v in reads]
        monkeypatch.setattr(registry_graphql, "_compiled", lambda *_: None)
        loaded = [await ask(app_client, q, token, **v) for q, v in reads]
    assert compiled == loaded
    org = compiled[0]["data"]["organization"]
    private = (org["contact"], org["internalNote"])
    assert (private != (None, None)) == (who in ("member", "admin"))
    assert (org["certificates"] is None) == (who == "anonymous")


async def test_32_concurrent_nested_reads_all_succeed_and_read_the_taxonomy_once(
    providers: Database, app_client: httpx.AsyncClient
) -> None:
    admin = await factories.token(providers, "ops@hub.test", "admin")
    reference_cache.invalidate_all()
    reads = [PARK, OFFERINGS, ORGANIZATION, PARK] * 8
    variables = {PARK: {"p": ["BJ-ETOWN"]}, OFFERINGS: {"c": "BIO"}, ORGANIZATION: {"u": USCCS[1]}}
    with response_cache.bypassed(), counting_round_trips() as queries:
        answers = await asyncio.gather(*(ask(app_client, q, admin, **variables[q]) for q in reads))
    assert len(answers) == 32
    assert sum(q == reference_store.TAXONOMY for q in queries) == 1
    assert sum(q == reference_store.PARKS for q in queries) == 1


async def test_the_taxonomy_is_read_once_for_many_callers_and_again_after_a_change(
    db: Database,
) -> None:
    cache = reference_cache.ReferenceCache(db)
    with counting_round_trips() as queries:
        first = await asyncio.gather(*(cache.taxonomy.get() for _ in range(50)))
        assert len(queries) == 1
        cache.invalidate()
        await cache.taxonomy.get()
    assert len(queries) == 2
    assert all(t is first[0] for t in first)


async def test_a_copy_older_than_its_age_limit_is_read_again() -> None:
    reads: list[int] = []

    async def read() -> int:
        reads.append(1)
        return len(reads)

    kept, aged = reference_cache.SharedValue(read), reference_cache.SharedValue(read, ttl_s=0)
    assert [await kept.get(), await kept.get()] == [1, 1]
    assert [await aged.get(), await aged.get()] == [2, 3]


@pytest.fixture
async def tiny_pool(settings: Settings) -> AsyncIterator[Database]:
    driver = neo4j.AsyncGraphDatabase.driver(
        settings.neo4j_uri,
        auth=(settings.neo4j_user, settings.neo4j_password.get_secret_value()),
        max_connection_pool_size=1,
        # Long enough to open the one connection on a loaded machine (0.2 s was not, on
        # two busy cores); a refused read waits this long.
        connection_acquisition_timeout=2.0,
    )
    async with driver:
        yield Database(driver, settings.neo4j_database)


async def test_a_full_pool_is_database_unavailable(tiny_pool: Database) -> None:
    async def one(tx: Tx) -> None:
        await tx.records("RETURN 1")

    async with tiny_pool.driver.session(database=tiny_pool.name) as held:
        transaction = await held.begin_transaction()  # holds the pool's one connection
        try:
            with pytest.raises(DatabaseUnavailable):
                await tiny_pool.read(one)
        finally:
            await transaction.rollback()
    await tiny_pool.read(one)  # and the pool serves again once the connection is back
