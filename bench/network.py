"""Park network benchmark: network query, figures and tables for a park of ~2,000 firms.

    .venv/bin/python -m bench.network --park-orgs 2000 --park BJ-ETOWN --calls 50

Loads the firms of the synthetic network (hub/demo/synthetic.py) that live in the
park, up to 2,000 (BJ-ETOWN draws about one firm in seven: the first ~14,000 firms),
and one in five of the others (the partners outside), skipping the rest to save the
time of writing them; then past engagements: each firm of the
park asks for `--engagements` services, three in four from a firm of the park, the rest
from outside. Times the network (nodes and edges), the figures, coverage, unmet demand,
utilisation and the GraphML export, each *computed* (read from Neo4j: in process, the
caches forgotten before each call, figures excepted, which come from the shared tier;
over HTTP, each call a new period, so a new cache key) and *cached* (the same data
again: only the fingerprint is read); the figures also cold (computed by networkx).
In process (the service layer) and over HTTP against a live `hub serve`; counts Cypher
round-trips per call.

Then the park page as a park operator's browser reads it when it opens: the GraphQL
operations of web/console/pages/ParkNetwork.tsx (read from that file, so the bench
follows the page), sent as the page sends them (all at once; `--sequenced`: the figures
after the graph, as the page did before), *uncached* (the data touched first, so every
part's fingerprint moves, and the shared figures deleted) and *cached*. "page" is from
the first request to the last answer. The Cypher round-trips of an uncached page read
are counted with the app in this process.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.common import ROOT, live_hub, neo4j, summary_ms
from hub.config import Settings
from hub.db.driver import Database, Tx, counting_round_trips, open_driver
from hub.db.migrations import migrate
from hub.demo import fictional, generate, synthetic
from hub.demo.history import PastEngagement, load_past_engagements
from hub.identity import service as identity
from hub.identity.model import Role
from hub.reference.seed import load_reference

COMPUTED = 5  # calls timed with nothing cached (each takes seconds)
PAGE = ROOT / "web" / "console" / "pages" / "ParkNetwork.tsx"
QUERY = """query($s: NetworkScopeInput, $f: NetworkFilterInput) {
  parkNetwork(scope: $s, filter: $f) { %s } }"""
PARTS = {
    "network": "nodes { id kind labelZh size group } edges { source target kind weight }",
    "figures": "figures { source nodes { uscc degreeCentrality betweenness community } "
    "communities { id } bridges { source target } }",
    "coverage": "coverage { capability firms certifiedFirms status }",
    "demand": "unmetRequests { requestId provider distanceKm } recruit { capability rank }",
    "utilisation": "utilisation { branch month utilisation sharingRate }",
    "graphml": "graphml",
}

FIRMS = """
MATCH (o:Organization)
OPTIONAL MATCH (o)-[:HAS_SITE]->(:Site)-[:OFFERS]->(f:Offering)
WITH o, collect({id: f.id, capability: f.capability, unit: f.unit}) AS offerings
RETURN o.uscc AS uscc, offerings,
       EXISTS { (o)-[:IN_PARK]->(:Park {code: $park}) }
       OR EXISTS { (o)-[:HAS_SITE]->(:Site)-[:LOCATED_IN]->(:Park {code: $park}) } AS inside
"""


async def _forget_figures(tx: Tx) -> None:
    await tx.run("MATCH (f:NetworkFigures) DETACH DELETE f")


async def _count(tx: Tx, park: str) -> int:
    row = await tx.single(
        "MATCH (o:Organization)-[:IN_PARK]->(:Park {code: $park}) RETURN count(o) AS n", park=park
    )
    return 0 if row is None else int(row["n"])


async def load_park(db: Database, park: str, target: int, outside: float, seed: int) -> int:
    """The synthetic network's firms of `park` until it holds `target`, and a share
    `outside` of the others (partners from other parks), exactly as `hub seed synthetic`
    draws them (each firm from its own stream), so without writing the firms not needed."""
    ctx = await db.read(generate.context)
    serials = fictional.synthetic_serials(seed, 50_000)
    rows, inside, written, index = generate.empty_rows(), 0, 0, 0
    while inside < target:
        firm, rng = synthetic.firm(index, serials[index], seed, ctx)
        home = firm.home.code == park
        index += 1
        if not home and (index - 1) % round(1 / outside):
            continue
        generate.add_firm(rows, firm, rng, ctx)
        inside, written = inside + home, written + 1
        if written % synthetic.BATCH == 0 or inside >= target:
            await generate.write(db, generate.validate(rows, ctx.reference), synthetic.ACTOR)
            rows = generate.empty_rows()
            print(f"  {inside} firms in {park}, {written} in all", flush=True)
    return written


async def _firms(tx: Tx, park: str) -> list[dict[str, Any]]:
    return [r.data() for r in await tx.records(FIRMS, park=park)]


def engagements(firms: list[dict[str, Any]], per_firm: int, seed: int) -> list[PastEngagement]:
    rng = random.Random(seed)
    providers = [f for f in firms if any(o["id"] for o in f["offerings"])]
    inside = [f for f in providers if f["inside"]]
    outside = [f for f in providers if not f["inside"]]
    made = []
    for requester in (f for f in firms if f["inside"]):
        for n in range(per_firm):
            pool = inside if rng.random() < 0.75 else outside
            provider = rng.choice(pool)
            if provider["uscc"] == requester["uscc"]:
                continue
            offering = rng.choice([o for o in provider["offerings"] if o["id"]])
            start = date(2027, 1, 4) + timedelta(weeks=rng.randrange(40))
            made.append(
                PastEngagement(
                    id=f"bench/{requester['uscc']}/{n}",
                    title="bench engagement",
                    requester=requester["uscc"],
                    provider=provider["uscc"],
                    offering_id=offering["id"],
                    capability=offering["capability"],
                    unit=offering["unit"],
                    quantity=1.0,
                    start=start,
                    end=start + timedelta(days=27),
                    gmp_grade="non_gmp",
                    on_time=True,
                    rating=4,
                    price_cny=float(rng.randrange(50_000, 2_000_000)),
                )
            )
    return made


async def build(
    db: Database, target: int, outside: float, park: str, per_firm: int, seed: int
) -> str:
    await migrate(db)
    await load_reference(db)
    if await db.read(_count, park) >= target:  # HUB_NEO4J_URI's server, loaded before
        print(f"reusing the loaded network ({await db.read(_count, park)} firms in {park})")
    else:
        began = time.perf_counter()
        written = await load_park(db, park, target, outside, seed)
        print(f"synthetic firms: {written} written in {time.perf_counter() - began:.0f} s")
    firms = await db.read(_firms, park)
    made = engagements(firms, per_firm, seed)
    await load_past_engagements(db, made)  # idempotent: MERGE on ids
    members = sum(1 for f in firms if f["inside"])
    print(f"{park}: {members} firms; {len(made)} past engagements loaded")
    token, _ = await identity.issue_token(
        db, "bench@hub.test", frozenset({Role.parse("admin")}), "bench"
    )
    return token


async def _post(http: httpx.AsyncClient, part: str, park: str, f: dict[str, Any]) -> float:
    variables = {"s": {"parks": [park]}, "f": f}
    began = time.perf_counter()
    response = await http.post(
        "/graphql", json={"query": QUERY % PARTS[part], "variables": variables}
    )
    seconds = time.perf_counter() - began
    body = response.json()
    assert "errors" not in body, body
    return seconds


def _period(n: int) -> dict[str, Any]:
    """A filter whose period (and so cache key) no other call of the run uses."""
    return {"start": (date(2027, 1, 1) + timedelta(days=n)).isoformat()}


async def time_parts(url: str, token: str, park: str, calls: int) -> None:
    headers = {"authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, timeout=600, headers=headers) as http:
        for i, part in enumerate(PARTS):
            label = "figures (cold)" if part == "figures" else part
            new = [await _post(http, part, park, _period(10 * i + n)) for n in range(COMPUTED)]
            print(f"{label + ', computed':28} {summary_ms(new)}")
            await _post(http, part, park, {})  # warm-up: plans compiled, the part cached
            seconds = [await _post(http, part, park, {}) for _ in range(calls)]
            print(f"{part + ', cached':28} {summary_ms(seconds)}")


async def in_process(db: Database, park: str, calls: int) -> None:
    """The same parts through the service layer (no HTTP, no GraphQL), with round-trips."""
    from hub.network.cache import FIGURES, forget
    from hub.network.service import open_reader
    from hub.reference import store as reference

    parks = {p.code: p for p in await db.read(reference.parks, None)}
    taxonomy = await db.read(reference.taxonomy)
    admin = await identity.authenticate(db, await _token(db))

    async def reader(start: date | None = None) -> Any:
        return await open_reader(db, admin, parks, taxonomy, parks=[park], start=start)

    async def graphml(r: Any) -> str:
        return str(await r.graphml(with_figures=True))

    parts = {
        "network": lambda r: r.network(),
        "figures": lambda r: r.figures(),
        "coverage": lambda r: r.coverage(),
        "demand": lambda r: r.recruit(),
        "utilisation": lambda r: r.utilisation(),
        "graphml": graphml,
    }
    await db.write(_forget_figures)  # cold means computed: no stored figures either
    cold = []
    for month in range(1, 6):
        FIGURES.clear()
        r = await reader(date(2026, month, 1))
        began = time.perf_counter()
        await r.figures()
        cold.append(time.perf_counter() - began)
    print(f"in-process figures (cold, computed) {summary_ms(cold)}")
    for name, part in parts.items():
        computed: list[float] = []
        for _ in range(COMPUTED):
            forget()  # figures too: they come from the shared tier, the rest from Neo4j
            with counting_round_trips() as queries:
                computed.append(await _time(part, await reader()))
        print(f"in-process {name:12} computed {summary_ms(computed)}; queries: {len(queries)}")
        with counting_round_trips() as queries:
            await part(await reader())
        seconds = [await _time(part, await reader()) for _ in range(calls)]
        print(f"in-process {name:12} cached   {summary_ms(seconds)}; queries: {len(queries)}")


async def _time(part: Callable[[Any], Awaitable[Any]], reader: Any) -> float:
    began = time.perf_counter()
    await part(reader)
    return time.perf_counter() - began


_TOKENS: list[str] = []


async def _token(db: Database) -> str:
    if not _TOKENS:
        token, _ = await identity.issue_token(
            db, "bench-inproc@hub.test", frozenset({Role.parse("admin")}), "bench"
        )
        _TOKENS.append(token)
    return _TOKENS[0]


def page_operations(source: Path = PAGE) -> dict[str, str]:
    """The GraphQL operations the park page sends when it opens, from its source."""
    text = source.read_text(encoding="utf-8")
    found = re.search(r'const ARGS = "([^"]+)"', text)
    assert found is not None, f"no ARGS in {source}"
    operations = {}
    for name in ("GRAPH", "TABLES", "FIGURES"):
        operation = re.search(rf"const {name} = `(.*?)`;", text, re.S)
        assert operation is not None, f"no {name} in {source}"
        operations[name] = operation.group(1).replace("${ARGS}", found.group(1))
    return operations


async def operator_token(db: Database, park: str) -> str:
    token, _ = await identity.issue_token(
        db, f"ops@{park.lower()}.test", frozenset({Role.parse(f"operator:{park}")}), "bench"
    )
    return token


async def _uncache(tx: Tx) -> None:
    """Every part's fingerprint moves (an organization's `updated_at`), and the shared
    figures go: the next page read computes everything."""
    await tx.run("MATCH (o:Organization) WITH o LIMIT 1 SET o.updated_at = datetime()")
    await tx.run("MATCH (f:NetworkFigures) DETACH DELETE f")


async def _operation(http: httpx.AsyncClient, query: str, park: str) -> tuple[float, int]:
    variables = {"s": {"parks": [park]}, "f": {"branch": None, "kinds": None}}
    began = time.perf_counter()
    response = await http.post("/graphql", json={"query": query, "variables": variables})
    seconds = time.perf_counter() - began
    body = response.json()
    assert "errors" not in body, body
    return seconds, len(response.content)


async def read_page(
    http: httpx.AsyncClient, operations: dict[str, str], park: str, sequenced: bool
) -> dict[str, tuple[float, int]]:
    """The page's reads as it sends them; seconds and bytes of each, and of the whole."""
    began = time.perf_counter()

    async def graph_then_figures() -> list[tuple[float, int]]:
        return [await _operation(http, operations[n], park) for n in ("GRAPH", "FIGURES")]

    if sequenced:
        (graph, figures), tables = await asyncio.gather(
            graph_then_figures(), _operation(http, operations["TABLES"], park)
        )
    else:
        graph, tables, figures = await asyncio.gather(
            *(_operation(http, operations[n], park) for n in ("GRAPH", "TABLES", "FIGURES"))
        )
    page = (time.perf_counter() - began, graph[1] + tables[1] + figures[1])
    return {"page": page, "graph": graph, "tables": tables, "figures": figures}


def _page_summary(label: str, runs: list[dict[str, tuple[float, int]]]) -> None:
    for part in ("page", "graph", "tables", "figures"):
        size = runs[0][part][1] / 1e6
        times = [r[part][0] for r in runs]
        print(f"page {label:8} {part:8} {summary_ms(times)}; {size:.2f} MB", flush=True)


async def time_page(
    url: str, db: Database, park: str, calls: int, sequenced: bool, source: Path = PAGE
) -> None:
    """The park page's data, uncached and cached, over HTTP as an operator reads it."""
    operations = page_operations(source)
    headers = {"authorization": f"Bearer {await operator_token(db, park)}"}
    async with httpx.AsyncClient(base_url=url, timeout=600, headers=headers) as http:
        await read_page(http, operations, park, sequenced)  # warm-up: plans compiled
        uncached, cached = [], []
        for _ in range(COMPUTED):
            await db.write(_uncache)
            uncached.append(await read_page(http, operations, park, sequenced))
            cached.append(await read_page(http, operations, park, sequenced))
        cached += [await read_page(http, operations, park, sequenced) for _ in range(calls)]
    _page_summary("uncached", uncached)
    _page_summary("cached", cached)


async def count_page(settings: Settings, db: Database, park: str, source: Path = PAGE) -> None:
    """Cypher round-trips of an uncached page read, with the app in this process."""
    from hub.app import create_app

    operations = page_operations(source)
    app = create_app(settings)
    headers = {"authorization": f"Bearer {await operator_token(db, park)}"}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://hub.test", headers=headers, timeout=600
        ) as http:
            await db.write(_uncache)
            await read_page(http, operations, park, sequenced=False)  # reference data read
            await db.write(_uncache)
            with counting_round_trips() as queries:
                await read_page(http, operations, park, sequenced=False)
    print(f"page uncached: {len(queries)} Cypher round-trips for its 3 GraphQL operations")


async def main(a: argparse.Namespace) -> None:
    sections = set(a.sections.split(","))
    with neo4j() as settings:
        async with open_driver(settings) as driver:
            db = Database(driver, settings.neo4j_database)
            token = await build(db, a.park_orgs, a.outside, a.park, a.engagements, a.seed)
            if "in-process" in sections:
                await in_process(db, a.park, a.calls)
            if "page" in sections:
                await count_page(settings, db, a.park, a.page_source)
            try:
                with live_hub(settings) as url:
                    if "http" in sections:
                        await time_parts(url, token, a.park, a.calls)
                    if "page" in sections:
                        await time_page(url, db, a.park, a.calls, a.sequenced, a.page_source)
            except (httpx.HTTPError, AssertionError, ValueError) as error:
                print(f"HTTP part failed: {error!r}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--park-orgs", type=int, default=2_000, help="firms of the park")
    parser.add_argument("--outside", type=float, default=0.2, help="share of other firms")
    parser.add_argument("--park", default="BJ-ETOWN")
    parser.add_argument("--engagements", type=int, default=2, help="per firm of the park")
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--sections", default="in-process,http,page", help="comma-separated: in-process, http, page"
    )
    parser.add_argument(
        "--page-source", type=Path, default=PAGE, help="the park page whose reads are timed"
    )
    parser.add_argument(
        "--sequenced", action="store_true", help="the figures after the graph (the page before)"
    )
    asyncio.run(main(parser.parse_args()))
