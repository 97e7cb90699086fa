"""The registry's nested reads in process: p50 at 1 and 8 clients, and Cypher round-trips.

    .venv/bin/python -m bench.read_path --orgs 2000

The three reads of issue 12 (one organization with sites and offerings; 50 organizations
of a park with sites, offerings with capability, and certificates; 100 offerings of a
capability with site, organization and 4 weeks of capacity), asked by an admin through
the app in this process (httpx's ASGI transport, lifespan included), distinct keys in
turn. "computed": the response cache bypassed (when the hub has one); "repeated": one
key asked again and again, as a cache may answer it. Round-trips exclude the token check.
Uses HUB_NEO4J_URI's server when set (a network seeded there is reused), else a
throwaway Neo4j seeded with the synthetic network of `--orgs` firms (seed 1).
Figures are printed, never asserted: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import time
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx

from bench.common import neo4j
from hub.app import create_app
from hub.db.driver import Database, Tx, counting_round_trips, open_driver
from hub.db.migrations import migrate
from hub.demo.synthetic import load_synthetic
from hub.identity import service as identity
from hub.identity.model import Role
from hub.reference.seed import load_reference

try:  # the hub before the response cache has none to bypass
    from hub.graphql.response_cache import bypassed
except ImportError:  # pragma: no cover

    @contextlib.contextmanager
    def bypassed() -> Iterator[None]:
        yield


START = date.today() + timedelta(days=7 - date.today().weekday())
END = START + timedelta(days=27)
ONE = """query($k: String!) { organization(uscc: $k) { uscc nameZh nameEn kind
  sites { code nameZh city offerings { id code gmpGrade scaleMin scaleMax unit } } } }"""
PARK = """query($k: String!) { organizations(filter: {parks: [$k]}, first: 50) {
  edges { node { uscc nameZh
    sites { code offerings { id code capability { code nameEn } } }
    certificates { authority number validFrom validTo } } } } }"""
OFFERINGS = """query($k: String!) { offerings(filter: {capability: $k}, first: 100) {
  edges { node { id code scaleMin scaleMax
    site { code nameZh city }
    organization { uscc nameZh }
    capacity(from: "@FROM", to: "@TO") { start end total reserved } } } } }""".replace(
    "@FROM", START.isoformat()
).replace("@TO", END.isoformat())

KEYS: dict[str, str] = {
    "organization": """MATCH (o:Organization)-[:HAS_SITE]->(:Site)-[:OFFERS]->(:Offering)
        RETURN DISTINCT o.uscc AS key LIMIT 40""",
    "park": """MATCH (p:Park) WITH p, COUNT { (p)<-[:IN_PARK]-() } AS n
        RETURN p.code AS key ORDER BY n DESC LIMIT 4""",
    "capability": """MATCH (c:Capability)<-[:OF]-(f:Offering) WHERE f.active
        AND NOT EXISTS { (c)<-[:BROADER]-() } WITH c, count(f) AS n
        RETURN c.code AS key ORDER BY n DESC LIMIT 4""",
}
READS = [
    ("one organization, sites, offerings", ONE, "organization"),
    ("50 organizations of a park, nested", PARK, "park"),
    ("100 offerings of a capability, nested", OFFERINGS, "capability"),
]


async def _keys(tx: Tx) -> dict[str, list[str]]:
    return {kind: [r["key"] for r in await tx.records(q)] for kind, q in KEYS.items()}


async def _organizations(tx: Tx) -> int:
    row = await tx.single("MATCH (o:Organization) RETURN count(o) AS n")
    return 0 if row is None else int(row["n"])


async def _ask(client: httpx.AsyncClient, token: str, query: str, key: str) -> float:
    began = time.perf_counter()
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": {"k": key}},
        headers={"authorization": f"Bearer {token}"},
    )
    took = time.perf_counter() - began
    body = response.json()
    if response.status_code != 200 or "errors" in body:
        raise RuntimeError(f"{response.status_code}: {str(body)[:300]}")
    return took


async def _run(
    client: httpx.AsyncClient,
    token: str,
    query: str,
    keys: list[str],
    clients: int,
    n: int,
    computed: bool,
) -> list[float]:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in range(n):
        queue.put_nowait(keys[i % len(keys)])
    times: list[float] = []

    async def worker() -> None:
        with bypassed() if computed else contextlib.nullcontext():
            while not queue.empty():
                times.append(await _ask(client, token, query, queue.get_nowait()))

    await asyncio.gather(*(worker() for _ in range(clients)))
    return times


async def _round_trips(client: httpx.AsyncClient, token: str, query: str, key: str) -> int:
    with bypassed(), counting_round_trips() as queries:
        await _ask(client, token, query, key)
    return len([q for q in queries if "ApiToken" not in q])


async def main(orgs: int, requests: int) -> None:
    with neo4j() as settings:
        async with open_driver(settings) as driver:
            db = Database(driver, settings.neo4j_database)
            await migrate(db)
            await load_reference(db)
            if not await db.read(_organizations):
                began = time.perf_counter()
                await load_synthetic(db, orgs, 1)
                print(f"seeded {orgs} organizations in {time.perf_counter() - began:.0f} s")
            keys = await db.read(_keys)
            token, _ = await identity.issue_token(
                db, "bench@hub", frozenset({Role.parse("admin")}), "bench", None
            )
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://hub.bench", timeout=120
            ) as client:
                await _report(client, token, keys, requests)


async def _report(
    client: httpx.AsyncClient, token: str, keys: dict[str, list[str]], requests: int
) -> None:
    print(f"keys: parks {keys['park']}, capabilities {keys['capability']}")
    print(f"{'read':40} {'clients':>7} {'computed p50':>13} {'repeated p50':>13} {'trips':>6}")
    for name, query, kind in READS:
        await _run(client, token, query, keys[kind], 1, 2, computed=True)  # warm
        trips = await _round_trips(client, token, query, keys[kind][0])
        for clients in (1, 8):
            n = requests * clients
            computed = await _run(client, token, query, keys[kind], clients, n, computed=True)
            repeated = await _run(client, token, query, keys[kind][:1], clients, n, False)
            print(
                f"{name:40} {clients:>7} {statistics.median(computed) * 1000:>10.1f} ms"
                f" {statistics.median(repeated) * 1000:>10.1f} ms {trips:>6}"
            )


def _arguments() -> Any:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=12, help="per client and level")
    return parser.parse_args()


if __name__ == "__main__":
    arguments = _arguments()
    asyncio.run(main(arguments.orgs, arguments.requests))
