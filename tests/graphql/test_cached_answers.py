"""A hit of the response cache is sent by the innermost middleware, before routing and
Strawberry (hub/graphql/cached_answers.py): the same bytes and headers as the computed
answer, for the sign-in read alone; anything it cannot answer goes on as before."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hub.db.driver import FINGERPRINT, Database, counting_round_trips
from hub.graphql import http as graphql_http
from hub.graphql import response_cache
from hub.graphql.http import GRAPHQL_RESPONSE
from tests import factories
from tests.registry import sample

READ = """query($u: String!) { organization(uscc: $u) { uscc nameZh
  sites { code offerings { id code } } } }"""


def ask(token: str | None = None, accept: str | None = None, **extra: str) -> dict[str, Any]:
    headers = {**extra}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    if accept is not None:
        headers["accept"] = accept
    return {"json": {"query": READ, "variables": {"u": sample.USCC}}, "headers": headers}


@pytest.fixture
async def provider(clean: Database) -> Database:
    await sample.load(clean, capacity_weeks=1)
    response_cache.CACHE.clear()
    return clean


@pytest.fixture
def router_closed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Within: any answer the router itself gives is recorded (a hit must not be one)."""
    computed: list[str] = []
    answer = response_cache.answer

    async def recorded(request: Any, context: Any, compute: Any) -> Any:
        computed.append(getattr(request, "query", ""))
        return await answer(request, context, compute)

    monkeypatch.setattr(graphql_http.response_cache, "answer", recorded)
    return computed


async def test_a_hit_never_reaches_the_router(
    provider: Database, app_client: httpx.AsyncClient, router_closed: list[str]
) -> None:
    member = await factories.token(provider, "bd@example.test", f"provider:{sample.USCC}")
    first = await app_client.post("/graphql", **ask(member))
    assert router_closed == [READ]
    with counting_round_trips() as queries:
        again = await app_client.post("/graphql", **ask(member))
    assert router_closed == [READ]  # not asked again: the middleware answered
    assert len(queries) == 1 and "ApiToken" in queries[0], queries
    assert again.status_code == first.status_code == 200
    assert again.content == first.content
    assert again.json()["data"]["organization"]["uscc"] == sample.USCC


@pytest.mark.parametrize("accept", [None, "application/json", GRAPHQL_RESPONSE, "*/*"])
async def test_a_hit_has_the_headers_of_a_computed_answer(
    provider: Database, app_client: httpx.AsyncClient, router_closed: list[str], accept: str | None
) -> None:
    computed = await app_client.post("/graphql", **ask(accept=accept))
    hit = await app_client.post("/graphql", **ask(accept=accept))
    assert len(router_closed) == 1
    assert hit.content == computed.content
    for name in ("content-type", "content-length", "x-content-type-options", "cache-control"):
        assert hit.headers.get(name) == computed.headers.get(name), name
    assert hit.headers["x-request-id"] != computed.headers["x-request-id"]


async def test_an_anonymous_hit_costs_the_fingerprint_read(
    provider: Database, app_client: httpx.AsyncClient, router_closed: list[str]
) -> None:
    await app_client.post("/graphql", **ask())
    with counting_round_trips() as queries:
        hit = await app_client.post("/graphql", **ask())
    assert hit.status_code == 200 and queries == [FINGERPRINT]
    assert len(router_closed) == 1


async def test_what_the_middleware_cannot_answer_goes_on_as_before(
    provider: Database, app_client: httpx.AsyncClient, router_closed: list[str]
) -> None:
    await app_client.post("/graphql", **ask())  # the anonymous answer is kept
    refused = await app_client.post("/graphql", **ask(token="hub_not-a-token"))
    assert refused.status_code == 401
    not_acceptable = await app_client.post("/graphql", **ask(accept="text/plain"))
    assert not_acceptable.status_code == 406
    odd = await app_client.post(
        "/graphql",
        content=b'{"query": "{ parks { code } ',
        headers={"content-type": "application/json"},
    )
    assert odd.status_code == 400 and odd.json()["errors"]
    with response_cache.bypassed():
        computed = await app_client.post("/graphql", **ask())
    assert computed.status_code == 200
    assert len(router_closed) == 2  # the first, and the one asked while bypassed


async def test_another_language_is_another_entry(
    provider: Database, app_client: httpx.AsyncClient, router_closed: list[str]
) -> None:
    await app_client.post("/graphql", **ask(**{"accept-language": "en"}))
    await app_client.post("/graphql", **ask(**{"accept-language": "zh-CN"}))
    await app_client.post("/graphql", **ask(**{"accept-language": "en-GB"}))
    assert len(router_closed) == 2
