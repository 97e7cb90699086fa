"""Tests run against a real Neo4j and a live hub.

Without HUB_NEO4J_URI a throwaway Neo4j is started for the session (own folder, free
port, random password) and deleted afterwards. With HUB_NEO4J_URI the tests use that
server, but only when its database is empty or was made by these tests: they wipe it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from hub.app import create_app
from hub.config import Mode, Settings
from hub.db.driver import Database, Tx, open_driver
from hub.db.migrations import migrate
from hub.db.server import LocalServer, free_port, throwaway
from hub.reference import cache as reference_cache
from hub.reference.seed import load_reference
from tests import factories
from tests.registry import sample
from tests.routing.common import OTHER_PROVIDER

TIMINGS: dict[str, float] = {}
# Figures the reliability tests measured, printed at the end of the run (see RELIABILITY.md).
FIGURES: list[str] = []
REFERENCE_LABELS = ["Migration", "Park", "Unit", "Capability", "HubTestDatabase"]
ROOT = Path(__file__).resolve().parent.parent


def throwaway_server(name: str) -> LocalServer:
    return throwaway(name, Settings().neo4j_version)


# Webhooks in tests: receivers on 127.0.0.1, quick retries, and no dispatcher in the
# shared hubs (app_client, live_hub): a webhook test starts the dispatchers it needs. The
# same for mail: a mail test runs the senders it needs.
FAST_EVENTS = {
    "webhook_allow_private": True,
    "webhook_dispatch": False,
    "mail_send": False,
    "events_poll_interval_s": 0.2,
    "webhook_backoff_base_s": 0.2,
    "webhook_backoff_max_s": 1.0,
    "webhook_timeout_s": 2.0,
    "webhook_lease_s": 3,
}


@pytest.fixture(scope="session")
def settings() -> Iterator[Settings]:
    uri = os.environ.get("HUB_NEO4J_URI")
    if uri:
        yield Settings(mode=Mode.TEST, neo4j_uri=uri, log_json=True, **FAST_EVENTS)
        return
    server = throwaway_server("test")
    TIMINGS["throwaway Neo4j answered after (s)"] = server.start()
    try:
        yield Settings(
            mode=Mode.TEST,
            neo4j_uri=server.uri,
            neo4j_password=server.password,
            **FAST_EVENTS,
        )
    finally:
        server.stop()
        shutil.rmtree(server.home, ignore_errors=True)


async def _guard_external(db: Database) -> None:
    async def check(tx: Tx) -> tuple[int, int]:
        row = await tx.single(
            "MATCH (n) WITH count(n) AS all "
            "OPTIONAL MATCH (m:HubTestDatabase) RETURN all, count(m) AS marks"
        )
        assert row is not None
        return row["all"], row["marks"]

    count, marks = await db.read(check)
    if count and not marks:
        pytest.exit(
            "HUB_NEO4J_URI's database holds data the tests did not make; the tests "
            "wipe it, so they refuse. Point them at an empty database.",
            returncode=3,
        )


async def _mark_as_test_database(tx: Tx) -> None:
    await tx.run("MERGE (:HubTestDatabase {id: 1})")


@pytest.fixture(scope="session", autouse=True)
def reference_copies_kept() -> Iterator[None]:
    """The process's taxonomy and parks do not expire by age during the suite.

    Tests change reference data only through the service (which invalidates the copy) or
    call `invalidate_all`; a copy expiring after `TTL_S` would make round-trip counts
    depend on how fast the machine ran the tests before.
    """
    ttl_s, reference_cache.TTL_S = reference_cache.TTL_S, float("inf")
    yield
    reference_cache.TTL_S = ttl_s


@pytest.fixture(scope="session")
async def db(settings: Settings) -> AsyncIterator[Database]:
    """The migrated test database with reference data loaded."""
    async with open_driver(settings) as driver:
        database = Database(driver, settings.neo4j_database)
        await _guard_external(database)
        await database.write(_mark_as_test_database)
        await migrate(database)
        await load_reference(database)
        yield database


async def _wipe(tx: Tx) -> None:
    await tx.run(
        "MATCH (n) WHERE NOT any(l IN labels(n) WHERE l IN $keep) DETACH DELETE n",
        keep=REFERENCE_LABELS,
    )


@pytest.fixture
async def clean(db: Database) -> Database:
    """A graph holding only schema records and reference data."""
    await db.write(_wipe)
    return db


@pytest.fixture
async def network(clean: Database) -> Database:
    """A small network for routing: two providers (the sample, twice) and a startup."""
    await sample.load(clean, capacity_weeks=8)
    await sample.load(clean, OTHER_PROVIDER, capacity_weeks=8)
    await factories.organization(clean, 8, "示例初创生物（虚构）")
    return clean


@pytest.fixture(scope="session")
async def app_client(settings: Settings, db: Database) -> AsyncIterator[httpx.AsyncClient]:
    """The app in this process (for counting round-trips); lifespan included."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            yield client


def _env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "HUB_MODE": "test",
        "HUB_NEO4J_URI": settings.neo4j_uri,
        "HUB_NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "HUB_LOG_JSON": "true",
        "HUB_SWEEP_INTERVAL_S": "0.5",  # answer deadlines are swept twice a second
        **{f"HUB_{name.upper()}": str(value).lower() for name, value in FAST_EVENTS.items()},
    }


class LiveHub:
    """`hub serve` in its own process, as users run it."""

    def __init__(self, settings: Settings, log: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hub", "serve", "--port", str(self.port)],
            env={**_env(settings), **env},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError(f"hub did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)

    def kill(self) -> None:
        """SIGKILL: no shutdown, nothing flushed (a crash)."""
        self.process.kill()
        self.process.wait(timeout=15)


@pytest.fixture(scope="session")
def live_hub(
    settings: Settings,
    db: Database,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveHub]:
    hub = LiveHub(settings, tmp_path_factory.mktemp("live") / "hub.log")
    yield hub
    hub.stop()


@pytest.fixture
async def client(live_hub: LiveHub) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_hub.url, timeout=30) as http:
        yield http


@pytest.fixture(scope="session")
def cli_env(settings: Settings) -> dict[str, str]:
    """Environment for running the `hub` command against the test database."""
    return _env(settings)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for what, seconds in TIMINGS.items():
        terminalreporter.write_line(f"{what}: {seconds:.1f}")
    for figure in FIGURES:
        terminalreporter.write_line(figure)
