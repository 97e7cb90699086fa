"""Malicious queries against a live `hub serve`: each refused fast, memory steady.

    .venv/bin/python -m bench.limits --repeat 200

RELIABILITY.md's bar: rejected before execution, p99 ≤ 100 ms, memory growth ≤ 50 MB, and
the next normal query fast. The hub's resident memory is read from /proc before and after.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import httpx

from bench.common import neo4j, percentile, served
from tests.security.test_limits import MALICIOUS, NORMAL

MUTATION = 'mutation { revokeApiToken(id: "x") { __typename } }'


def _attacks() -> dict[str, dict[str, object]]:
    """Each attack as the keyword arguments of one httpx request."""
    attacks: dict[str, dict[str, object]] = {
        name: {"method": "POST", "json": {"query": query}} for name, (query, _) in MALICIOUS.items()
    }
    attacks["100-operation batch"] = {"method": "POST", "json": [{"query": NORMAL}] * 100}
    attacks["10 MB body"] = {
        "method": "POST",
        "content": json.dumps({"query": NORMAL, "variables": {"pad": "x" * 10_000_000}}),
        "headers": {"content-type": "application/json"},
    }
    attacks["mutation over GET"] = {"method": "GET", "params": {"query": MUTATION}}
    return attacks


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _code(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    errors = body.get("errors") if isinstance(body, dict) else None
    return str(errors[0].get("extensions", {}).get("code", "")) if errors else ""


def _timed(http: httpx.Client, request: dict[str, object], repeat: int) -> tuple[list[float], str]:
    took, seen = [], ""
    for _ in range(repeat):
        started = time.perf_counter()
        response = http.request(url="/graphql", **request)  # type: ignore[arg-type]
        took.append(time.perf_counter() - started)
        seen = f"{response.status_code} {_code(response)}".strip()
    return took, seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="requests per attack")
    args = parser.parse_args()
    with (
        neo4j() as settings,
        served(settings) as (url, pid),
        httpx.Client(base_url=url, timeout=60) as http,
    ):
        normal_before, _ = _timed(http, {"method": "POST", "json": {"query": NORMAL}}, 50)
        rss_before = _rss_mb(pid)
        print(f"{'attack':<24} {'answer':<32} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
        for name, request in _attacks().items():
            took, seen = _timed(http, request, args.repeat)
            ms = [t * 1000 for t in took]
            print(
                f"{name:<24} {seen:<32} {statistics.median(ms):8.1f} "
                f"{percentile(ms, 99):8.1f} {max(ms):8.1f}"
            )
        rss_after = _rss_mb(pid)
        normal_after, _ = _timed(http, {"method": "POST", "json": {"query": NORMAL}}, 50)
    print(
        f"hub memory: {rss_before:.1f} MB before, {rss_after:.1f} MB after "
        f"({rss_after - rss_before:+.1f} MB) over {args.repeat} requests per attack"
    )
    print(
        f"normal query p50: {statistics.median(normal_before) * 1000:.1f} ms before, "
        f"{statistics.median(normal_after) * 1000:.1f} ms after"
    )


if __name__ == "__main__":
    main()
