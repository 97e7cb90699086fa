"""The park page's data read: the GraphQL operations web/console/pages/ParkNetwork.tsx
sends when it opens (read from that file), sent at once as the page sends them. Their
Cypher round-trips are pinned, and do not grow with the park; operators get no money."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import httpx

from hub.db.driver import Database, counting_round_trips
from hub.network import store
from tests.network import sample
from tests.network.conftest import Callers
from tests.network.test_network_query import REFERENCE_READS

PAGE = Path(__file__).resolve().parents[2] / "web" / "console" / "pages" / "ParkNetwork.tsx"
# Per operation: the token's check and the fingerprint. Once between them: members,
# offerings and engagements (shared by the three), unmet demand, capacity, and the
# figures looked up in the shared store then stored.
ROUND_TRIPS = 3 * 2 + 7


def page_operations() -> dict[str, str]:
    text = PAGE.read_text(encoding="utf-8")
    args = re.search(r'const ARGS = "([^"]+)"', text)
    assert args is not None
    found = {}
    for name in ("GRAPH", "TABLES", "FIGURES"):
        operation = re.search(rf"const {name} = `(.*?)`;", text, re.S)
        assert operation is not None, name
        found[name] = operation.group(1).replace("${ARGS}", args.group(1))
    return found


async def _open_page(client: httpx.AsyncClient, token: str) -> dict[str, dict[str, Any]]:
    variables = {"s": {"parks": [sample.A]}, "f": {"branch": None, "kinds": None}}
    headers = {"authorization": f"Bearer {token}"}

    async def ask(query: str) -> dict[str, Any]:
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body
        answer: dict[str, Any] = body["data"]["parkNetwork"]
        return answer

    operations = page_operations()
    answers = await asyncio.gather(*(ask(q) for q in operations.values()))
    return dict(zip(operations, answers, strict=True))


def _own(round_trips: list[str]) -> list[str]:
    return [q for q in round_trips if q not in REFERENCE_READS]


async def test_the_page_reads_its_data_in_a_fixed_number_of_round_trips(
    app_client: httpx.AsyncClient, callers: Callers, network: Database
) -> None:
    with counting_round_trips() as small:
        page = await _open_page(app_client, callers.operator)
    assert len(_own(small)) == ROUND_TRIPS, _own(small)
    for read in (store.MEMBERS, store.OFFERINGS, store.ENGAGEMENTS, store.CAPACITY):
        assert small.count(read) == 1
    drawing = page["GRAPH"]["drawing"]["elements"]
    assert {n["data"]["key"] for n in drawing["nodes"]} >= set(sample.USCC.values())
    assert page["GRAPH"]["totalValue"] is None  # operators: counts, never money
    assert all(e["data"]["value"] is None for e in drawing["edges"])
    assert page["FIGURES"]["figures"]["communities"]

    await sample.build_more(network, 40)  # 40 more firms in A, each engaged twice
    with counting_round_trips() as large:
        page = await _open_page(app_client, callers.operator)
    assert len(page["GRAPH"]["drawing"]["elements"]["nodes"]) == len(drawing["nodes"]) + 40
    assert len(_own(large)) == ROUND_TRIPS


async def test_again_the_page_reads_only_token_checks_and_fingerprints(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    first = await _open_page(app_client, callers.operator)
    with counting_round_trips() as again:
        second = await _open_page(app_client, callers.operator)
    assert second["GRAPH"] == first["GRAPH"] and second["TABLES"] == first["TABLES"]
    assert _own(again).count(store.FINGERPRINT) == 3 and len(_own(again)) == 3 * 2
