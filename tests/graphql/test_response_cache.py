"""Answers that repeat come from the response cache while the data's fingerprint holds:
a hit is the same JSON for one round-trip, any write makes the next answer fresh, and
callers who may see different things never share an entry."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from strawberry.types.execution import ExecutionResult

from hub.api.context import Context
from hub.config import Settings
from hub.db.driver import FINGERPRINT, Database, counting_round_trips
from hub.graphql import response_cache
from hub.identity.model import ANONYMOUS
from tests import factories
from tests.registry import sample

READ = """query($u: String!) { organization(uscc: $u) { uscc contact { email }
  certificates { number status } sites { code nameZh offerings { id } } } }"""
SAVE_SITE = """mutation($i: SiteInput!) { saveSite(input: $i) { __typename } }"""


async def post(
    client: httpx.AsyncClient, query: str, token: str | None = None, **variables: Any
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body


@pytest.fixture
async def provider(clean: Database) -> Database:
    await sample.load(clean, capacity_weeks=2)
    response_cache.CACHE.clear()
    return clean


async def test_a_hit_is_the_same_answer_for_one_round_trip(
    provider: Database, app_client: httpx.AsyncClient
) -> None:
    first = await post(app_client, READ, u=sample.USCC)
    hits = response_cache.CACHE.hits
    with counting_round_trips() as queries:
        again = await post(app_client, READ, u=sample.USCC)
    assert again == first
    assert response_cache.CACHE.hits == hits + 1
    assert queries == [FINGERPRINT]


async def test_a_first_answer_costs_only_its_own_read(
    provider: Database, app_client: httpx.AsyncClient
) -> None:
    with counting_round_trips() as queries:
        await post(app_client, READ, u=sample.USCC)
    assert len(queries) == 1 and FINGERPRINT not in queries, queries
    with counting_round_trips() as again:
        await post(app_client, READ, u=sample.USCC)
    assert again == [FINGERPRINT]  # it was kept, under its read's own bookmark


async def test_a_signed_in_hit_costs_only_the_sign_in(
    provider: Database, app_client: httpx.AsyncClient
) -> None:
    member = await factories.token(provider, "bd@example.test", f"provider:{sample.USCC}")
    first = await post(app_client, READ, member, u=sample.USCC)
    with counting_round_trips() as queries:
        again = await post(app_client, READ, member, u=sample.USCC)
    assert again == first
    assert len(queries) == 1 and "ApiToken" in queries[0], queries


async def test_many_callers_of_one_new_answer_cost_one_computation(
    db: Database, settings: Settings
) -> None:
    cache = response_cache.ResponseCache()
    started, release, computations = asyncio.Event(), asyncio.Event(), []

    async def compute() -> ExecutionResult:
        computations.append(1)
        started.set()
        await release.wait()
        await db.fingerprint()  # a read: the answer gets its bookmark
        return ExecutionResult(data={"parks": [{"code": "BJ-ETOWN"}]}, errors=None)

    request = SimpleNamespace(query="{ parks { code } }", variables=None, operation_name=None)
    async with httpx.AsyncClient() as http:
        context = Context(
            principal=ANONYMOUS, db=db, http=http, settings=settings, request_id="test"
        )

        def ask() -> asyncio.Task[ExecutionResult]:
            return asyncio.create_task(response_cache.answer(request, context, compute, cache))

        first = ask()
        await started.wait()
        others = [ask() for _ in range(7)]
        await asyncio.sleep(0)  # each of them finds the computation under way
        release.set()
        answers = await asyncio.gather(first, *others)
    assert len(computations) == 1
    assert all(a.data == {"parks": [{"code": "BJ-ETOWN"}]} for a in answers)
    assert cache.hits == 7 and not cache.computing


async def test_off_every_answer_is_computed(db: Database, settings: Settings) -> None:
    cache, computations = response_cache.ResponseCache(), []

    async def compute() -> ExecutionResult:
        computations.append(1)
        await db.fingerprint()
        return ExecutionResult(data={"parks": []}, errors=None)

    request = SimpleNamespace(query="{ parks { code } }", variables=None, operation_name=None)
    off = settings.model_copy(update={"response_cache": False})
    async with httpx.AsyncClient() as http:
        context = Context(principal=ANONYMOUS, db=db, http=http, settings=off, request_id="test")
        for _ in range(3):
            await response_cache.answer(request, context, compute, cache)
    assert len(computations) == 3 and cache.hits == 0 and not cache.computing


async def test_any_write_makes_the_next_answer_fresh(
    provider: Database, app_client: httpx.AsyncClient
) -> None:
    member = await factories.token(provider, "bd@example.test", f"provider:{sample.USCC}")
    before = await post(app_client, READ, u=sample.USCC)
    assert before == await post(app_client, READ, u=sample.USCC)  # kept
    site = sample.rows()["sites"][0]
    renamed = {
        "uscc": sample.USCC,
        "site": site["site"],
        "nameZh": "亦庄二厂",
        "nameEn": site["name_en"],
        "address": site["address"],
        "city": site["city"],
        "lat": site["lat"],
        "lon": site["lon"],
        "park": site["park"],
    }
    saved = await post(app_client, SAVE_SITE, member, i=renamed)
    assert saved["data"]["saveSite"]["__typename"] == "SiteSaved"
    after = await post(app_client, READ, u=sample.USCC)
    assert after["data"]["organization"]["sites"][0]["nameZh"] == "亦庄二厂"


async def test_callers_who_see_differently_never_share_an_entry(
    provider: Database, app_client: httpx.AsyncClient
) -> None:
    member = await factories.token(provider, "bd@example.test", f"provider:{sample.USCC}")
    startup = await factories.organization(provider, 7)
    requester = await factories.token(provider, "cmc@startup.test", f"requester:{startup}")
    seen = {}
    for who, token in (("anonymous", None), ("requester", requester), ("member", member)):
        for _ in range(2):  # the second one may come from the cache
            org = (await post(app_client, READ, token, u=sample.USCC))["data"]["organization"]
            seen.setdefault(who, org)
            assert org == seen[who]
    assert seen["anonymous"]["certificates"] is None
    assert seen["requester"]["certificates"] and seen["requester"]["contact"] is None
    assert seen["member"]["contact"] == {"email": "bd@example.test"}


@pytest.mark.parametrize(
    ("document", "operation", "kept"),
    [
        ("{ organizations { edges { node { uscc } } } }", None, True),
        ("query A { ...F } fragment F on Query { taxonomy { code } }", None, True),
        ("query A { parks { code } } query B { me { handle } }", "A", True),
        ("query A { parks { code } } query B { me { handle } }", "B", False),
        ("{ parks { code } me { handle } }", None, False),
        ("{ ... on Query { routeRequest(id: 1) { id } } }", None, False),
        ('mutation { retireSite(id: "x") { __typename } }', None, False),
        ("{ parks { code }", None, False),  # not GraphQL: answered by validation
    ],
)
def test_only_public_registry_and_reference_reads_are_kept(
    document: str, operation: str | None, kept: bool
) -> None:
    assert response_cache.cacheable(document, operation) is kept


def test_the_cache_is_bounded_by_bytes_least_recently_used_first() -> None:
    cache = response_cache.ResponseCache(max_bytes=400)
    marks = frozenset({"b1"})

    def key(n: int) -> response_cache.Key:
        return (f"q{n}", "{}", None, ("anonymous",), "zh", "2026-12-04")

    for n in range(5):
        cache.put(key(n), marks, {"value": "x" * 100})
        assert cache.get(key(0), marks) is not None  # 0 is used, so it stays
    assert cache.get(key(1), marks) is None  # the least recently used went
    assert cache.get(key(4), marks) is not None
    assert cache.get(key(4), frozenset({"b2"})) is None  # the data changed
