"""Malicious queries are rejected before execution with a stable code, fast, and the next
normal query is still fast (RELIABILITY.md's matrix)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import pytest

from hub.app import create_app
from hub.config import Mode, Settings
from hub.db.driver import Database, counting_round_trips

NORMAL = "{ parks { code } }"


def _deep(depth: int) -> str:
    return "{ taxonomy " + "{ children " * depth + "{ code }" + " }" * depth + " }"


def _aliases(count: int) -> str:
    return "{ " + " ".join(f"a{i}: parks {{ code }}" for i in range(count)) + " }"


def _aliases_via_fragments(count: int) -> str:
    fragments = " ".join(
        f"fragment F{i} on Query {{ a{i}: parks {{ code }} }}" for i in range(count)
    )
    spreads = " ".join(f"...F{i}" for i in range(count))
    return f"{{ {spreads} }} {fragments}"


CIRCULAR = "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"
TOKENS = "{ parks { " + "code " * 100_000 + "} }"

MALICIOUS = {
    "depth 50": (_deep(50), "QUERY_TOO_DEEP"),
    "1,000 aliases": (_aliases(1000), "TOO_MANY_TOKENS"),  # the token limit stops it first
    "100 aliases": (_aliases(100), "TOO_MANY_ALIASES"),
    "aliases via fragments": (_aliases_via_fragments(100), "TOO_MANY_ALIASES"),
    "circular fragments": (CIRCULAR, "GRAPHQL_VALIDATION_FAILED"),
    "100k tokens": (TOKENS, "TOO_MANY_TOKENS"),
    "first: 1e6": ("{ organizations(first: 1000000) { edges { cursor } } }", "INVALID_INPUT"),
}


@pytest.mark.parametrize("name", list(MALICIOUS))
async def test_a_malicious_query_is_rejected_before_execution(
    app_client: httpx.AsyncClient, name: str
) -> None:
    query, code = MALICIOUS[name]
    with counting_round_trips() as trips:
        started = time.perf_counter()
        response = await app_client.post("/graphql", json={"query": query})
        took = time.perf_counter() - started
    body = response.json()
    print(f"{name}: {response.status_code} in {took * 1000:.0f} ms")
    assert body["errors"][0]["extensions"]["code"] == code
    assert body["data"] is None
    assert trips == []  # nothing reached the database
    normal = await app_client.post("/graphql", json={"query": NORMAL})
    assert normal.status_code == 200 and normal.json()["data"]["parks"]


async def test_a_batch_is_refused(app_client: httpx.AsyncClient) -> None:
    batch = [{"query": NORMAL}] * 100
    response = await app_client.post("/graphql", json=batch)
    assert response.status_code == 400


async def test_a_10_mb_body_is_refused_before_it_is_read(
    app_client: httpx.AsyncClient,
) -> None:
    huge = {"query": NORMAL, "variables": {"pad": "x" * 10_000_000}}
    response = await app_client.post("/graphql", json=huge)
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_a_body_without_length_is_counted(app_client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ parks { code } }", "pad": "'
        for _ in range(30):
            yield b"x" * 100_000
        yield b'"}'

    response = await app_client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_production_hides_the_schema(settings: Settings, db: Database) -> None:
    production = settings.model_copy(update={"mode": Mode.PROD})
    app = create_app(production)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as http:
            response = await http.post(
                "/graphql", json={"query": "{ __schema { types { name } } }"}
            )
            assert response.json()["errors"][0]["extensions"]["code"] == "INTROSPECTION_DISABLED"
            assert (await http.post("/graphql", json={"query": NORMAL})).json()["data"]["parks"]


async def test_a_query_that_runs_too_long_is_stopped_with_504(
    settings: Settings, db: Database
) -> None:
    hurried = settings.model_copy(update={"graphql_timeout_s": 0.000_001})
    app = create_app(hurried)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as http:
            response = await http.post("/graphql", json={"query": NORMAL})
    assert response.status_code == 504
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TIMEOUT"
