"""Routing benchmark: `routeRequest` latency on the synthetic network of N organizations.

    .venv/bin/python -m bench.routing --orgs 10000 --routes 200

Builds the network as bench.registry does (generate, write CSV files, import), then
submits requests and times `routeRequest` (k=3) over HTTP, in two sets:
- leaf: drawn from real offerings (their leaf capability, their smallest scale, a window
  in the published capacity);
- branch: the broadest branch, BIO.USP with an NMPA manufacturing licence, at the smallest
  scale of a sampled BIO.USP offering.

With HUB_NEO4J_URI set and `--reuse`, a network already imported into that server is
used as it is (migrations still run), so iterations do not pay for the import again.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from typing import Any

import httpx

from bench.common import live_hub, neo4j, summary_ms
from bench.registry import imported_network
from hub.db.driver import Database, Tx, open_driver
from hub.db.migrations import migrate
from hub.identity import service as identity
from hub.identity.model import Role

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
RETURN c.code AS capability, f.scale_min AS quantity, requesters, [] AS authorities
"""

BRANCH = """
MATCH (:Capability {code: 'BIO.USP'})<-[:BROADER*0..5]-(:Capability)<-[:OF]-(f:Offering)
WHERE f.gmp_grade <> 'glp'
WITH f ORDER BY f.id SKIP $skip LIMIT $n
MATCH (q:Organization) WHERE q.kind IN ['requester', 'both']
WITH f, collect(q.uscc) AS requesters
RETURN 'BIO.USP' AS capability, f.scale_min AS quantity, requesters,
       ['NMPA_LICENCE'] AS authorities
"""

WARM_UP = 10  # routes run before timing starts

ORGANIZATIONS = "MATCH (o:Organization) RETURN count(o) AS n"


async def _sample(tx: Tx, query: str, n: int, skip: int) -> list[dict[str, Any]]:
    if query == "branch":
        return [dict(r) for r in await tx.records(BRANCH, n=n, skip=skip)]
    return [dict(r) for r in await tx.records(SAMPLE, n=n, skip=skip)]


async def _organizations(tx: Tx) -> int:
    row = await tx.single(ORGANIZATIONS)
    return 0 if row is None else int(row["n"])


async def time_routes(url: str, token: str, name: str, wanted: list[dict[str, Any]]) -> None:
    """Submit, then time routeRequest (k=3) for each wanted request; 10 warm-up routes.
    A refused route is counted as a problem, not timed as a success. With no more
    requests than warm-up routes, nothing is timed and nothing is printed."""
    if len(wanted) <= WARM_UP:
        return
    rng = random.Random(3)
    seconds, matched, problems = [], 0, 0
    headers = {"authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, timeout=120, headers=headers) as http:
        for n, want in enumerate(wanted):
            request = {
                "requester": rng.choice(want["requesters"]),
                "title": f"bench {name} {n}",
                "capability": want["capability"],
                "quantity": want["quantity"],
                "earliestStart": "2027-03-01",
                "needBy": "2027-05-31",
                "gmpGrade": "NON_GMP",
                "authorities": want["authorities"],
            }
            body = (
                await http.post("/graphql", json={"query": SUBMIT, "variables": {"i": request}})
            ).json()
            submitted = body["data"]["submitRequest"]
            if "request" not in submitted:
                sys.exit(f"submitRequest refused: {submitted}")
            request_id = submitted["request"]["id"]
            began = time.perf_counter()
            routed = (
                await http.post("/graphql", json={"query": ROUTE, "variables": {"id": request_id}})
            ).json()
            seconds.append(time.perf_counter() - began)
            result = (routed.get("data") or {}).get("routeRequest") or {}
            if "request" in result:
                matched += len(result["request"]["matches"])
            else:
                problems += 1
    print(f"routeRequest {name}: {summary_ms(seconds[WARM_UP:])}")
    print(
        f"  (mean providers routed {matched / len(wanted):.1f} of k=3; {problems} problems;"
        f" first {WARM_UP} routes are warm-up)"
    )


async def _network(db: Database, orgs: int, seed: int, reuse: bool) -> str:
    if not reuse or await db.read(_organizations) == 0:
        return await imported_network(db, orgs, seed)
    await migrate(db)
    token, _ = await identity.issue_token(
        db, "bench@hub.test", frozenset({Role.parse("admin")}), "bench"
    )
    return token


async def main(orgs: int, routes: int, seed: int, reuse: bool) -> None:
    with neo4j() as settings:
        async with open_driver(settings) as driver:
            db = Database(driver, settings.neo4j_database)
            token = await _network(db, orgs, seed, reuse)
            leaf = await db.read(_sample, "leaf", routes, 7)
            branch = await db.read(_sample, "branch", routes, 7)
        with live_hub(settings) as url:
            await time_routes(url, token, "leaf", leaf)
            await time_routes(url, token, "branch BIO.USP + NMPA licence", branch)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--routes", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reuse", action="store_true", help="keep a network already in HUB_NEO4J_URI's server"
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.orgs, arguments.routes, arguments.seed, arguments.reuse))
