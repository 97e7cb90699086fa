"""Routing benchmark: `routeRequest` latency on the synthetic network of N organizations.

    .venv/bin/python -m bench.routing --orgs 10000 --routes 200

Builds the network as bench.registry does (generate, write CSV files, import), then
submits requests drawn from real offerings (their capability, their smallest
scale, a window in the published capacity) and times `routeRequest` (k=3) over HTTP.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from typing import Any

import httpx

from bench.common import live_hub, neo4j, summary_ms
from bench.registry import imported_network
from hub.db.driver import Database, Tx, open_driver

SUBMIT = """mutation($i: RequestInput!) { submitRequest(input: $i) {
  ... on RequestChanged { request { id } } ... on Problem { code field message } } }"""
ROUTE = """mutation($id: ID!) { routeRequest(id: $id, k: 3) {
  ... on RequestChanged { request { status matches { providerUscc score } } }
  ... on Problem { code message } } }"""

SAMPLE = """
MATCH (f:Offering)-[:OF]->(c:Capability)
WHERE f.gmp_grade <> 'glp'
WITH f, c ORDER BY f.id SKIP $skip LIMIT $n
MATCH (q:Organization) WHERE q.kind IN ['requester', 'both']
WITH f, c, collect(q.uscc) AS requesters
RETURN c.code AS capability, f.scale_min AS quantity, requesters
"""


async def _sample(tx: Tx, n: int, skip: int) -> list[dict[str, Any]]:
    return [dict(r) for r in await tx.records(SAMPLE, n=n, skip=skip)]


async def time_routes(url: str, token: str, wanted: list[dict[str, Any]]) -> None:
    rng = random.Random(3)
    seconds, matched = [], 0
    headers = {"authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, timeout=60, headers=headers) as http:
        for n, want in enumerate(wanted):
            request = {
                "requester": rng.choice(want["requesters"]),
                "title": f"bench {n}",
                "capability": want["capability"],
                "quantity": want["quantity"],
                "earliestStart": "2027-03-01",
                "needBy": "2027-05-31",
                "gmpGrade": "NON_GMP",
            }
            body = (
                await http.post("/graphql", json={"query": SUBMIT, "variables": {"i": request}})
            ).json()
            submitted = body["data"]["submitRequest"]
            assert "request" in submitted, submitted
            request_id = submitted["request"]["id"]
            began = time.perf_counter()
            routed = (
                await http.post("/graphql", json={"query": ROUTE, "variables": {"id": request_id}})
            ).json()
            seconds.append(time.perf_counter() - began)
            matched += len(routed["data"]["routeRequest"]["request"]["matches"])
    print(f"routeRequest {summary_ms(seconds[10:])} (first 10 are warm-up)")
    print(f"(mean providers routed per request {matched / len(wanted):.1f} of k=3)")


async def main(orgs: int, routes: int, seed: int) -> None:
    with neo4j() as settings:
        async with open_driver(settings) as driver:
            db = Database(driver, settings.neo4j_database)
            token = await imported_network(db, orgs, seed)
            wanted = await db.read(_sample, routes, 7)
        with live_hub(settings) as url:
            await time_routes(url, token, wanted)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--routes", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.orgs, arguments.routes, arguments.seed))
