"""What the benchmarks share: a Neo4j to run against, a live hub, and percentiles."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from hub.config import Mode, Settings
from hub.db.server import free_port, throwaway

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def neo4j(heap: str = "2g", pagecache: str = "2g") -> Iterator[Settings]:
    """HUB_NEO4J_URI's server, or a throwaway one sized for the benchmark."""
    if os.environ.get("HUB_NEO4J_URI"):
        yield Settings(mode=Mode.TEST)
        return
    server = throwaway("bench", Settings().neo4j_version, heap=heap, pagecache=pagecache)
    print(f"Neo4j answered after {server.start():.1f} s", file=sys.stderr)
    try:
        yield Settings(mode=Mode.TEST, neo4j_uri=server.uri, neo4j_password=server.password)
    finally:
        server.stop()
        shutil.rmtree(server.home, ignore_errors=True)


@contextmanager
def served(settings: Settings) -> Iterator[tuple[str, int]]:
    """`hub serve` in its own process; yields its base URL and process id."""
    port = free_port()
    env = {
        **os.environ,
        "HUB_MODE": "test",
        "HUB_NEO4J_URI": settings.neo4j_uri,
        "HUB_NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "HUB_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "hub", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(url + "/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=15)


@contextmanager
def live_hub(settings: Settings) -> Iterator[str]:
    """`hub serve` in its own process; yields its base URL."""
    with served(settings) as (url, _):
        yield url


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index]


def summary_ms(seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"n={len(ms)} p50={statistics.median(ms):.1f} ms p90={percentile(ms, 90):.1f} ms "
        f"p99={percentile(ms, 99):.1f} ms max={max(ms):.1f} ms"
    )
