"""The figures cache: computed once per scope and state of the data, shared by processes.

Figures (centrality, communities, bridges) cost seconds on a large park, so they are
never recomputed per request. A cache entry is keyed by the scope (parks, branch,
organization kinds, period) and is valid for one *fingerprint* of the data the figures
depend on: the count and latest change time of awarded/completed requests, and the
count and latest change of organizations and sites (membership). Any award, completion,
cancellation or registry change gives a new fingerprint, so entries never go stale;
reading the fingerprint is one small indexed query.

Two tiers: a `(:NetworkFigures {key, fingerprint, payload})` node in Neo4j, which every
hub process shares (constraint in graph/migrations/0006_network.cypher), and a small
in-process LRU in front of it. In a process, one computation per key runs at a time
(a lock per key), so a burst of requests after a change computes once.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import asdict, replace
from typing import Any

from hub.db.driver import Database
from hub.network import queries
from hub.network.model import Bridge, Community, Figures, NodeFigure, ParkLink, Scope

MEMORY_ENTRIES = 32


def encode(figures: Figures) -> str:
    data = asdict(figures)
    data.pop("source")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode(payload: str) -> Figures:
    data: dict[str, Any] = json.loads(payload)
    return Figures(
        fingerprint=data["fingerprint"],
        computed_at=data["computed_at"],
        exact_betweenness=data["exact_betweenness"],
        nodes=tuple(NodeFigure(**n) for n in data["nodes"]),
        communities=tuple(
            Community(c["id"], tuple(c["members"]), tuple(c["parks"])) for c in data["communities"]
        ),
        bridges=tuple(Bridge(**b) for b in data["bridges"]),
        park_links=tuple(ParkLink(**p) for p in data["park_links"]),
    )


class FiguresCache:
    def __init__(self, entries: int = MEMORY_ENTRIES) -> None:
        self._entries = entries
        self._memory: OrderedDict[str, Figures] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {}

    def _remembered(self, key: str, fingerprint: str) -> Figures | None:
        found = self._memory.get(key)
        if found is None or found.fingerprint != fingerprint:
            return None
        self._memory.move_to_end(key)
        return replace(found, source="memory")

    def _remember(self, key: str, figures: Figures) -> None:
        self._memory[key] = figures
        self._memory.move_to_end(key)
        while len(self._memory) > self._entries:
            self._memory.popitem(last=False)

    async def figures(
        self, db: Database, scope: Scope, compute: Callable[[str], Awaitable[Figures]]
    ) -> Figures:
        """The scope's figures for the data as it is now: remembered, stored or computed."""
        key = scope.key()
        fingerprint = await db.read(queries.fingerprint)
        found = self._remembered(key, fingerprint)
        if found is not None:
            return found
        async with self._locks.setdefault(key, asyncio.Lock()):
            found = self._remembered(key, fingerprint)
            if found is not None:
                return found
            payload = await db.read(queries.stored_figures, key, fingerprint)
            if payload is not None:
                figures = replace(decode(payload), source="store")
            else:
                figures = await compute(fingerprint)
                await db.write(queries.store_figures, key, fingerprint, encode(figures))
            self._remember(key, replace(figures, source="memory"))
            return figures

    def clear(self) -> None:
        """Forget the in-process tier (the shared tier stays): for tests and benchmarks."""
        self._memory.clear()


# One per process on purpose: entries are checked against the fingerprint on every use,
# so sharing them across requests never serves figures of older data.
FIGURES = FiguresCache()
