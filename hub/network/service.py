"""Reads of one park network for one caller, each query run at most once per request.

`NetworkReader` is made per request (GraphQL or download) for an authorized `Scope`.
Its parts (members, offerings, engagements...) are read lazily, each in one Cypher
query over the whole scope, and shared by the tables asked for in the same request; so
a request costs a constant number of round-trips whatever the size of the park. They,
and what is computed from them (nodes and edges, figures, tables, exports), are cached
per scope and state of the data (hub.network.cache): a request for parts already
computed reads only the fingerprint, and the park page's concurrent requests (graph,
tables, figures) read each part once between them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from hub.db.driver import Database
from hub.errors import NotAuthenticated
from hub.identity.model import Principal
from hub.network import access, coverage, demand, export, figures, graph, store, utilisation
from hub.network.cache import (
    DOCUMENTS,
    EXPORTS,
    FIGURES,
    NETWORKS,
    PARTS,
    READS,
    Fingerprint,
    Memory,
    read_fingerprint,
)
from hub.network.model import (
    CoverageRow,
    Edge,
    Engagement,
    Figures,
    Member,
    Network,
    Node,
    NodeFigure,
    OfferingFact,
    RecruitRow,
    Scope,
    UnmetRequest,
    UtilisationRow,
)
from hub.reference.model import Park, Region, Taxonomy
from hub.registry.model import OrgKind
from hub.time import CHINA

T = TypeVar("T")


def china_today() -> date:
    return datetime.now(CHINA).date()


def default_period(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """Utilisation's period: without a start, the first of this month; without an end,
    twelve months from the start."""
    first = start or today.replace(day=1)
    return first, end or first.replace(year=first.year + 1) - timedelta(days=1)


class NetworkReader:
    def __init__(
        self, db: Database, scope: Scope, parks: dict[str, Park], taxonomy: Taxonomy
    ) -> None:
        self.db = db
        self.scope = scope
        self.parks = parks
        self.taxonomy = taxonomy
        self.today = china_today()
        self._tasks: dict[str, asyncio.Task[Any]] = {}

    def _once(self, name: str, make: Callable[[], Awaitable[T]]) -> Awaitable[T]:
        """The named part, read once even when resolvers ask for it concurrently."""
        if name not in self._tasks:

            async def run() -> T:
                return await make()

            self._tasks[name] = asyncio.ensure_future(run())
        task: asyncio.Task[T] = self._tasks[name]
        return task

    async def fingerprint(self) -> Fingerprint:
        """The state of the data, read once per request (see hub.network.cache)."""
        return await self._once("fingerprint", lambda: read_fingerprint(self.db))

    def _key(self, part: str) -> str:
        """What a cached part depends on besides the fingerprint: the scope, the
        reference data its rows name, and the day or period where it matters."""
        extra = {
            "coverage": self.today.isoformat(),
            "offerings": self.today.isoformat(),
            "utilisation": "/".join(d.isoformat() for d in self.period()),
        }.get(part, "")
        reference = hash((tuple(self.taxonomy.nodes.values()), tuple(self.parks.values())))
        return f"{part}|{extra}|{reference:x}|{self.scope.key()}"

    async def _cached(self, part: str, compute: Callable[[], Awaitable[T]]) -> T:
        fingerprint = (await self.fingerprint()).of(part)
        memory = _MEMORIES.get(part, PARTS)
        return await self._once(part, lambda: memory.get(self._key(part), fingerprint, compute))

    async def members(self) -> list[Member]:
        return await self._cached("members", lambda: self.db.read(store.members, self.scope))

    async def member_ids(self) -> list[str]:
        return [m.uscc for m in await self.members()]

    async def offerings(self) -> list[OfferingFact]:
        async def read() -> list[OfferingFact]:
            ids = await self.member_ids()
            return await self.db.read(store.offerings, self.scope, ids, self.today, self.taxonomy)

        return await self._cached("offerings", read)

    async def engagements(self) -> list[Engagement]:
        async def read() -> list[Engagement]:
            return await self.db.read(store.engagements, self.scope, await self.member_ids())

        return await self._cached("engagements", read)

    async def network(self) -> Network:
        async def build() -> Network:
            members, offerings, engagements = await asyncio.gather(
                self.members(), self.offerings(), self.engagements()
            )
            return graph.build(
                self.scope, members, offerings, engagements, self.parks, self.taxonomy
            )

        return await self._cached("network", build)

    async def figures(self, with_nodes: bool = True) -> Figures:
        """The figures; the per-firm ones (betweenness: most of the cost) `with_nodes`."""

        async def compute(fingerprint: str, nodes: bool) -> Figures:
            members, engagements = await asyncio.gather(self.members(), self.engagements())
            return await asyncio.to_thread(
                figures.compute, members, engagements, fingerprint, nodes
            )

        async def read() -> Figures:
            fingerprint = (await self.fingerprint()).of("figures")
            return await FIGURES.figures(self.db, self.scope, fingerprint, compute, with_nodes)

        return await self._once(f"figures:{with_nodes}", read)

    async def coverage(self) -> list[CoverageRow]:
        async def compute() -> list[CoverageRow]:
            return coverage.coverage(await self.offerings(), self.taxonomy, self.scope.branch)

        return await self._cached("coverage", compute)

    async def _demand(self) -> tuple[list[UnmetRequest], list[RecruitRow]]:
        async def compute() -> tuple[list[UnmetRequest], list[RecruitRow]]:
            rows, offerings, members = await asyncio.gather(
                self.db.read(store.unmet, self.scope, await self.member_ids()),
                self.offerings(),
                self.members(),
            )
            requests = demand.unmet_requests(
                rows, offerings, members, self.parks, self.taxonomy, self.scope
            )
            return requests, demand.recruit(rows, requests, self.taxonomy)

        return await self._cached("demand", compute)

    async def unmet_requests(self) -> list[UnmetRequest]:
        return (await self._demand())[0]

    async def recruit(self) -> list[RecruitRow]:
        return (await self._demand())[1]

    def period(self) -> tuple[date, date]:
        return default_period(self.scope.start, self.scope.end, self.today)

    async def utilisation(self) -> list[UtilisationRow]:
        async def compute() -> list[UtilisationRow]:
            start, end = self.period()
            ids = await self.member_ids()
            rows = await self.db.read(store.capacity, self.scope, ids, start, end)
            return utilisation.utilisation(rows, self.taxonomy)

        return await self._cached("utilisation", compute)

    async def _export(
        self, name: str, part: str, make: Callable[[], Awaitable[T]], memory: Memory = EXPORTS
    ) -> T:
        fingerprint = (await self.fingerprint()).of(part)
        key = f"{name}|{self._key(part)}"
        return await self._once(key, lambda: memory.get(key, fingerprint, make))

    async def graphml(self, with_figures: bool) -> str:
        """The network as GraphML (the network's fingerprint covers the figures')."""

        async def make() -> str:
            network, found = await self._network_and_figures(with_figures)
            return await asyncio.to_thread(export.to_graphml, network, found)

        return await self._export(f"graphml:{with_figures}", "network", make)

    async def json_text(self, with_figures: bool) -> str:
        """The network in the Cytoscape.js elements shape, as JSON text."""

        async def make() -> str:
            return export.dumps(await self.json(with_figures))

        return await self._export(f"json:{with_figures}", "network", make)

    async def json(self, with_figures: bool) -> dict[str, Any]:
        """The same as a document: what the park page draws, so kept as it is sent (a
        few of them: they weigh megabytes) rather than parsed again from the text."""

        async def make() -> dict[str, Any]:
            return export.to_json(*await self._network_and_figures(with_figures))

        return await self._export(f"document:{with_figures}", "network", make, DOCUMENTS)

    async def _network_and_figures(self, with_figures: bool) -> tuple[Network, Figures | None]:
        if not with_figures:
            return await self.network(), None
        return await asyncio.gather(self.network(), self.figures())

    async def csv(self, table: str) -> str:
        """One table (a key of TABLES) as CSV text."""
        kind, read = TABLES[table]

        async def make() -> str:
            return export.to_csv(kind, await read(self))

        return await self._export(f"csv:{table}", TABLE_PARTS[table], make)


async def _nodes(reader: NetworkReader) -> Sequence[Any]:
    return (await reader.network()).nodes


async def _edges(reader: NetworkReader) -> Sequence[Any]:
    return (await reader.network()).edges


async def _figures(reader: NetworkReader) -> Sequence[Any]:
    return (await reader.figures()).nodes or ()


# Where each part computed by `NetworkReader._cached` is kept (the others: PARTS).
_MEMORIES = {
    "network": NETWORKS,
    "members": READS,
    "offerings": READS,
    "engagements": READS,
}

# Every table a caller may export as CSV: its row type and how the reader gets it.
TABLES: dict[str, tuple[type[Any], Callable[[NetworkReader], Awaitable[Sequence[Any]]]]] = {
    "nodes": (Node, _nodes),
    "edges": (Edge, _edges),
    "figures": (NodeFigure, _figures),
    "coverage": (CoverageRow, NetworkReader.coverage),
    "unmet_requests": (UnmetRequest, NetworkReader.unmet_requests),
    "recruit": (RecruitRow, NetworkReader.recruit),
    "utilisation": (UtilisationRow, NetworkReader.utilisation),
}
# The part of the fingerprint (hub.network.cache.DEPENDS) each table depends on.
TABLE_PARTS = {
    "nodes": "network",
    "edges": "network",
    "figures": "figures",
    "coverage": "coverage",
    "unmet_requests": "demand",
    "recruit": "demand",
    "utilisation": "utilisation",
}


async def open_reader(
    db: Database,
    principal: Principal,
    every_park: dict[str, Park],
    taxonomy: Taxonomy,
    *,
    parks: list[str] | None = None,
    region: Region | None = None,
    branch: str | None = None,
    kinds: Iterable[OrgKind] = (),
    start: date | None = None,
    end: date | None = None,
) -> NetworkReader:
    """A reader of the scope asked for, once the caller may see it (see hub.network.access)."""
    if principal.is_anonymous:
        raise NotAuthenticated
    codes = access.parks_in_scope(principal, every_park, parks, region)
    scope = access.scope(principal, codes, taxonomy, branch, kinds, start, end)
    return NetworkReader(db, scope, every_park, taxonomy)
