"""Caches of the park network: each part computed once per scope and state of the data.

A *fingerprint* of the data is read once per request (hub.network.store.FINGERPRINT:
counts from the count store or an index, latest change times from one index entry each,
so the read stays a few milliseconds at any size). Each part of the network depends on
some of its components (DEPENDS), and a cached part is valid for exactly their values:

- counts catch nodes created or deleted; `updated_at` (set by every registry write, with
  the relationships the write changes) catches edits of organizations, sites, offerings,
  certificates and capacity buckets;
- engagements (awarded or completed requests) change by an award (their count grows, the
  latest `awarded_at` moves), a completion (the latest `completed_at` moves) or the
  cancellation of an award (their count drops);
- reservations change only by an award (RESERVES created, `awarded_at` set) or a
  cancellation (RESERVES deleted: their count drops), so their count and the latest
  award time pin them;
- requests and matches (unmet demand) change by creation (counts) or by a status change,
  award or completion (latest `updated_at`, `awarded_at`, `completed_at`).

So any change that may alter a part gives it a new fingerprint, and entries never go
stale. What does not enter the fingerprint enters the key: the scope (parks, branch,
organization kinds, period, access level), today's date where certificates' validity or
the default period depend on it, and the reference data (parks, taxonomy) the tables use.

Figures (centrality, communities, bridges) cost seconds of CPU on a large park, so they
have two tiers: a `(:NetworkFigures {key, fingerprint, payload})` node in Neo4j, which
every hub process shares (constraint in graph/migrations/0006_network.cypher), and a
small in-process LRU in front of it. The per-firm figures (betweenness above all) are
most of that cost and the park page does not show them: figures are computed without
them unless they are asked for, and kept under a key of their own then. The other parts
(what the network is read from, nodes and edges, tables, exports) are read in a few
queries and kept in in-process LRUs only: exports weigh megabytes.
In a process, one computation per key runs at a time (a lock per key), so a burst of
requests after a change computes once.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any, TypeVar, cast

from hub.db.driver import Database
from hub.network import store
from hub.network.model import Bridge, Community, Figures, NodeFigure, ParkLink, Scope

T = TypeVar("T")

MEMORY_ENTRIES = 32

_ENGAGEMENTS = ("engagements", "request_awarded", "request_completed")
_MEMBERSHIP = ("organizations", "organization_changed", "sites", "site_changed")
_OFFERINGS = ("offerings", "offering_changed")
# The components of the fingerprint each part reads.
DEPENDS: dict[str, tuple[str, ...]] = {
    "figures": (*_ENGAGEMENTS, *_MEMBERSHIP),
    # what the parts above are computed from, read once for every request that needs them
    "members": _MEMBERSHIP,
    "offerings": (*_MEMBERSHIP, *_OFFERINGS, "certificates", "certificate_changed"),
    "engagements": (*_ENGAGEMENTS, *_MEMBERSHIP),
    "network": (*_ENGAGEMENTS, *_MEMBERSHIP, *_OFFERINGS),
    "coverage": (*_MEMBERSHIP, *_OFFERINGS, "certificates", "certificate_changed"),
    "demand": (
        *_MEMBERSHIP,
        *_OFFERINGS,
        "requests",
        "matches",
        "request_changed",
        "request_awarded",
        "request_completed",
    ),
    "utilisation": (
        *_MEMBERSHIP,
        *_OFFERINGS,
        "buckets",
        "bucket_changed",
        "reservations",
        "request_awarded",
    ),
}


@dataclass(frozen=True)
class Fingerprint:
    """The state of the data, by component (see DEPENDS and store.FINGERPRINT)."""

    components: Mapping[str, str]

    def of(self, part: str) -> str:
        """The fingerprint of one part: the values of the components it depends on."""
        return "/".join(self.components[name] for name in DEPENDS[part])


async def read_fingerprint(db: Database) -> Fingerprint:
    return Fingerprint(await db.read(store.fingerprint))


class Memory:
    """An in-process LRU: one value per key, valid for one fingerprint."""

    def __init__(self, entries: int) -> None:
        self._entries = entries
        self._values: OrderedDict[str, tuple[str, Any]] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {}

    def _found(self, key: str, fingerprint: str) -> tuple[bool, Any]:
        entry = self._values.get(key)
        if entry is None or entry[0] != fingerprint:
            return False, None
        self._values.move_to_end(key)
        return True, entry[1]

    def _keep(self, key: str, fingerprint: str, value: Any) -> None:
        self._values[key] = (fingerprint, value)
        self._values.move_to_end(key)
        while len(self._values) > self._entries:
            old, _ = self._values.popitem(last=False)
            lock = self._locks.get(old)
            if lock is not None and not lock.locked():
                del self._locks[old]

    async def get(self, key: str, fingerprint: str, compute: Callable[[], Awaitable[T]]) -> T:
        """The value of `key` for the data as it is: remembered, or computed and kept."""
        hit, value = self._found(key, fingerprint)
        if hit:
            return cast(T, value)
        async with self._locks.setdefault(key, asyncio.Lock()):
            hit, value = self._found(key, fingerprint)
            if hit:
                return cast(T, value)
            computed = await compute()
            self._keep(key, fingerprint, computed)
            return computed

    def clear(self) -> None:
        self._values.clear()
        self._locks.clear()


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
        nodes=None if data["nodes"] is None else tuple(NodeFigure(**n) for n in data["nodes"]),
        communities=tuple(
            Community(c["id"], tuple(c["members"]), tuple(c["parks"])) for c in data["communities"]
        ),
        bridges=tuple(Bridge(**b) for b in data["bridges"]),
        park_links=tuple(ParkLink(**p) for p in data["park_links"]),
    )


# The stored key of figures without the per-firm ones: a key of its own, so that a
# process reading the whole figures under the scope's key never finds them partial.
PARTIAL = "|without nodes"


def _serves(figures: Figures, fingerprint: str, with_nodes: bool) -> bool:
    return figures.fingerprint == fingerprint and (figures.nodes is not None or not with_nodes)


class FiguresCache:
    def __init__(self, entries: int = MEMORY_ENTRIES) -> None:
        self._entries = entries
        self._memory: OrderedDict[str, Figures] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {}

    def _remembered(self, key: str, fingerprint: str, with_nodes: bool) -> Figures | None:
        found = self._memory.get(key)
        if found is None or not _serves(found, fingerprint, with_nodes):
            return None
        self._memory.move_to_end(key)
        return replace(found, source="memory")

    def _remember(self, key: str, figures: Figures) -> None:
        self._memory[key] = figures
        self._memory.move_to_end(key)
        while len(self._memory) > self._entries:
            self._memory.popitem(last=False)

    async def figures(
        self,
        db: Database,
        scope: Scope,
        fingerprint: str,
        compute: Callable[[str, bool], Awaitable[Figures]],
        with_nodes: bool = True,
    ) -> Figures:
        """The scope's figures for the data as `fingerprint` (of "figures") has it:
        remembered, stored or computed; the per-firm ones too when `with_nodes` (figures
        kept without them are computed again, whole, when they are asked for)."""
        key = scope.key()
        found = self._remembered(key, fingerprint, with_nodes)
        if found is not None:
            return found
        async with self._locks.setdefault(key, asyncio.Lock()):
            found = self._remembered(key, fingerprint, with_nodes)
            if found is not None:
                return found
            keys = [key] if with_nodes else [key, key + PARTIAL]
            payload = await db.read(store.stored_figures, keys, fingerprint)
            if payload is not None:
                figures = replace(decode(payload), source="store")
            else:
                figures = await compute(fingerprint, with_nodes)
                stored = key if with_nodes else key + PARTIAL
                await db.write(store.store_figures, stored, fingerprint, encode(figures))
            self._remember(key, replace(figures, source="memory"))
            return figures

    def clear(self) -> None:
        """Forget the in-process tier (the shared tier stays): for tests and benchmarks."""
        self._memory.clear()


# One of each per process on purpose: entries are checked against the fingerprint on every
# use, so sharing them across requests never serves a part computed from older data.
# Sized for 2,000 firms: a network (nodes and edges) holds ~5 MB, its GraphML ~6 MB of
# text, the tables far less.
FIGURES = FiguresCache()
NETWORKS = Memory(8)
# members, offerings and engagements: what the graph, the figures and the tables are made
# from, so the park page's concurrent requests (graph, tables, figures) read them once
READS = Memory(24)
PARTS = Memory(64)  # coverage, unmet demand and recruitment, utilisation
DOCUMENTS = Memory(4)  # the network as JSON (the elements the park page draws)
EXPORTS = Memory(12)  # GraphML, JSON and CSV texts


def forget() -> None:
    """Forget every in-process tier (the shared one stays): for tests and benchmarks."""
    for memory in (FIGURES, NETWORKS, READS, PARTS, DOCUMENTS, EXPORTS):
        memory.clear()
