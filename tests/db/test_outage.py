"""When Neo4j goes away the hub says 503 with Retry-After, and recovers by itself."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import httpx

from hub.config import Mode, Settings
from hub.db.driver import Database, open_driver
from hub.db.migrations import migrate
from hub.db.server import LocalServer
from hub.reference.seed import load_reference
from tests.conftest import FIGURES, LiveHub

PARKS = {"query": "{ parks { code } }"}


async def _seconds_until(
    http: httpx.AsyncClient, url: str, status: int, limit_s: float = 60
) -> float:
    began = time.monotonic()
    while time.monotonic() - began < limit_s:
        if (await http.get(url, timeout=5)).status_code == status:
            return time.monotonic() - began
        await asyncio.sleep(0.2)
    raise AssertionError(f"{url} did not answer {status} within {limit_s} s")


async def test_neo4j_killed_then_restarted(own_server: LocalServer, tmp_path: Path) -> None:
    settings = Settings(
        mode=Mode.TEST, neo4j_uri=own_server.uri, neo4j_password=own_server.password
    )
    async with open_driver(settings) as driver:
        await migrate(Database(driver, settings.neo4j_database))
        await load_reference(Database(driver, settings.neo4j_database))
    hub = LiveHub(settings, tmp_path / "hub.log")
    try:
        async with httpx.AsyncClient(base_url=hub.url, timeout=30) as http:
            await _outage_and_recovery(own_server, hub, http)
    finally:
        hub.stop()


async def _outage_and_recovery(
    server: LocalServer,
    hub: LiveHub,
    http: httpx.AsyncClient,
) -> None:
    assert (await http.get("/readyz")).status_code == 200
    pid = server.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)

    down_s = await _seconds_until(http, "/readyz", 503)
    assert (await http.get("/readyz")).headers["retry-after"].isdigit()
    query = await http.post("/graphql", json=PARKS)
    assert query.status_code == 503
    assert query.headers["retry-after"].isdigit()
    assert query.json()["errors"][0]["extensions"]["code"] == "DATABASE_UNAVAILABLE"
    assert "bolt://" not in query.text
    assert "Traceback" not in query.text

    server.start()
    up_s = await _seconds_until(http, "/readyz", 200)
    again = await http.post("/graphql", json=PARKS)
    assert len(again.json()["data"]["parks"]) == 12
    assert hub.process.poll() is None, "the same hub process served throughout"
    FIGURES.append(f"readyz 503 {down_s:.1f} s after SIGKILL; 200 {up_s:.1f} s after restart")
