"""What the benchmarks share: a Neo4j to run against, a live hub, and percentiles."""

from __future__ import annotations

import dataclasses
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from hub.config import Mode, Settings
from hub.db.server import LocalServer, free_port, throwaway

ROOT = Path(__file__).resolve().parent.parent


@dataclasses.dataclass(frozen=True)
class PluggedServer(LocalServer):
    """A server with plugin jars (APOC) in `home/plugins`. Neo4j's own launcher puts that
    folder on the classpath too (a plugin's extensions are found there); so does this."""

    def _launch(self, java: str, cp: str) -> int:
        jars = sorted(str(jar) for jar in (self.home / "plugins").glob("*.jar"))
        return super()._launch(java, os.pathsep.join([cp, *jars]))


def with_plugins(server: LocalServer, jars: Sequence[Path]) -> LocalServer:
    """`server` with `jars` copied into its plugins folder (none: `server` itself)."""
    if not jars:
        return server
    folder = server.home / "plugins"
    folder.mkdir(parents=True, exist_ok=True)
    for jar in jars:
        shutil.copy2(jar, folder / jar.name)
    return PluggedServer(**{f.name: getattr(server, f.name) for f in dataclasses.fields(server)})


@contextmanager
def neo4j(
    heap: str = "2g", pagecache: str = "2g", plugins: Sequence[Path] = ()
) -> Iterator[Settings]:
    """HUB_NEO4J_URI's server, or a throwaway one sized for the benchmark, with the
    `plugins` jars (ignored for HUB_NEO4J_URI's server: install them there yourself)."""
    if os.environ.get("HUB_NEO4J_URI"):
        yield Settings(mode=Mode.TEST)
        return
    server = throwaway("bench", Settings().neo4j_version, heap=heap, pagecache=pagecache)
    server = with_plugins(server, plugins)
    print(f"Neo4j answered after {server.start():.1f} s", file=sys.stderr)
    try:
        yield Settings(mode=Mode.TEST, neo4j_uri=server.uri, neo4j_password=server.password)
    finally:
        server.stop()
        shutil.rmtree(server.home, ignore_errors=True)


@contextmanager
def served(settings: Settings, root: Path = ROOT, **env_vars: str) -> Iterator[tuple[str, int]]:
    """`hub serve` in its own process (with `env_vars` added to its environment), of the
    checkout at `root` (another worktree: the code before a change); yields its base URL
    and process id."""
    port = free_port()
    env = {
        **os.environ,
        "HUB_MODE": "test",
        "HUB_NEO4J_URI": settings.neo4j_uri,
        "HUB_NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "HUB_LOG_LEVEL": "WARNING",
        **env_vars,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "hub", "serve", "--port", str(port)],
        env=env,
        cwd=root,
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
