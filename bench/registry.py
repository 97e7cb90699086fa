"""Registry benchmark: import rate (rows/s) and offering-search latency at N organizations.

    .venv/bin/python -m bench.registry --orgs 10000 --queries 300

Generates the synthetic network (fictional firms, deterministic), writes it as the six
CSV files a user would import, imports them with `hub.imports.pipeline` (timed per
file), then serves the hub and times offering searches over HTTP. Figures are medians
and percentiles: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import live_hub, neo4j, summary_ms
from hub.config import Settings
from hub.db.driver import Database, counting_round_trips, open_driver
from hub.db.migrations import migrate
from hub.demo import fictional, generate, synthetic
from hub.identity import service as identity
from hub.identity.model import Role
from hub.imports import pipeline
from hub.reference.seed import load_reference
from hub.registry import model

KINDS = generate.KINDS
FILE_ROWS = 20_000
SEARCH = """query($f: OfferingSearchInput!) { offerings(filter: $f, first: 20) {
  edges { node { id capabilityCode site { city } } distanceKm minFree } } }"""


def _capacity_row(row: dict[str, Any]) -> dict[str, Any]:
    uscc, site, owner = row["owner"].split("/")
    column = "equipment" if row["unit"] == model.INSTRUMENT_HOUR else "offering"
    return {
        "uscc": uscc,
        "site": site,
        column: owner,
        "grain": row["grain"],
        "start": row["start"],
        "total": row["total"],
    }


def _cell(value: Any) -> Any:
    return ";".join(map(str, value)) if isinstance(value, list | tuple) else value


def write_files(rows: generate.Rows, folder: Path) -> list[tuple[str, Path]]:
    """The network as CSV files of `hub import`, at most FILE_ROWS rows each (a file is
    one transaction; bigger ones are split, as the README advises)."""
    files = []
    for kind in KINDS:
        records = [_capacity_row(r) for r in rows[kind]] if kind == "capacity" else rows[kind]
        columns = list(dict.fromkeys(c for r in records for c in r))
        for part, start in enumerate(range(0, len(records), FILE_ROWS), start=1):
            path = folder / f"{kind}-{part:03d}.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns)
                writer.writeheader()
                writer.writerows(
                    {k: _cell(v) for k, v in r.items()} for r in records[start : start + FILE_ROWS]
                )
            files.append((kind, path))
    return files


async def network_rows(db: Database, orgs: int, seed: int) -> generate.Rows:
    ctx = await db.read(generate.context)
    serials = fictional.synthetic_serials(seed, orgs)
    return synthetic.batch_rows(seed, serials, 0, orgs, ctx)


async def import_all(db: Database, files: list[tuple[str, Path]]) -> None:
    """Import every file, timed; print rows/s per kind and in all."""
    by_kind: dict[str, list[float]] = {}
    for kind, path in files:
        report = await pipeline.import_file(db, path, kind)
        rows, seconds = by_kind.setdefault(kind, [0, 0.0])
        by_kind[kind] = [rows + report.rows, seconds + report.seconds]
    by_kind["total"] = [sum(v[0] for v in by_kind.values()), sum(v[1] for v in by_kind.values())]
    for kind, (rows, seconds) in by_kind.items():
        print(f"import {kind:14} {rows:8.0f} rows {seconds:7.1f} s {rows / seconds:8.0f} rows/s")


def searches(rng: random.Random, n: int) -> list[tuple[str, dict[str, Any]]]:
    """A mix of what requesters ask: a branch, a place, a grade, a window with spare capacity."""
    branches = ["BIO", "BIO.USP", "API.SML", "DP.STE", "PRE.TOX", "CMC.ANA", "QC.REL", "CGT"]
    made: list[tuple[str, dict[str, Any]]] = []
    for _ in range(n):
        capability = rng.choice(branches)
        kind = rng.choice(["branch", "region", "near", "window"])
        f: dict[str, Any] = {"capability": capability}
        if kind == "region":
            f["region"] = rng.choice(["BEIJING", "TIANJIN", "HEBEI"])
        elif kind == "near":
            f["near"] = {"lat": 39.79, "lon": 116.51, "km": rng.choice([20, 50, 150])}
        elif kind == "window":
            f.update(start="2027-03-01", end="2027-05-31", spare=1, gmpGrade="GMP_CLINICAL")
        made.append((kind, f))
    return made


async def time_searches(url: str, token: str, n: int) -> None:
    plan = searches(random.Random(7), n)
    by_kind: dict[str, list[float]] = {}
    found = 0
    async with httpx.AsyncClient(
        base_url=url, timeout=60, headers={"authorization": f"Bearer {token}"}
    ) as http:
        for _, f in plan[:10]:  # warm-up: plans compiled, caches filled
            await http.post("/graphql", json={"query": SEARCH, "variables": {"f": f}})
        for kind, f in plan:
            began = time.perf_counter()
            response = await http.post("/graphql", json={"query": SEARCH, "variables": {"f": f}})
            by_kind.setdefault(kind, []).append(time.perf_counter() - began)
            body = response.json()
            assert "errors" not in body, body
            found += len(body["data"]["offerings"]["edges"])
    for kind, seconds in sorted(by_kind.items()):
        print(f"search {kind:8} {summary_ms(seconds)}")
    print(f"search all      {summary_ms([s for v in by_kind.values() for s in v])}")
    print(f"(mean results per page {found / len(plan):.1f})")


async def round_trips(settings: Settings, token: str) -> None:
    from hub.app import create_app

    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            _, f = searches(random.Random(1), 1)[0]
            with counting_round_trips() as queries:
                await http.post(
                    "/graphql",
                    json={"query": SEARCH, "variables": {"f": f}},
                    headers={"authorization": f"Bearer {token}"},
                )
    print(f"Cypher queries per search request (token check included): {len(queries)}")


async def imported_network(db: Database, orgs: int, seed: int) -> str:
    """Migrate, generate the network, import it from CSV files (timed); returns an admin
    token for the HTTP part of a benchmark."""
    await migrate(db)
    await load_reference(db)
    began = time.perf_counter()
    rows = await network_rows(db, orgs, seed)
    print(
        f"generated {orgs} organizations: "
        + ", ".join(f"{len(v)} {k}" for k, v in rows.items())
        + f" in {time.perf_counter() - began:.1f} s"
    )
    with tempfile.TemporaryDirectory() as folder:
        await import_all(db, write_files(rows, Path(folder)))
    token, _ = await identity.issue_token(
        db, "bench@hub.test", frozenset({Role.parse("admin")}), "bench"
    )
    return token


async def main(orgs: int, queries: int, seed: int) -> None:
    with neo4j() as settings:
        async with open_driver(settings) as driver:
            token = await imported_network(Database(driver, settings.neo4j_database), orgs, seed)
        await round_trips(settings, token)
        with live_hub(settings) as url:
            await time_searches(url, token, queries)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.orgs, arguments.queries, arguments.seed))
