"""Reads of one park network for one caller, each query run at most once per request.

`NetworkReader` is made per request (GraphQL or download) for an authorized `Scope`.
Its parts (members, offerings, engagements...) are read lazily, each in one Cypher
query over the whole scope, and shared by the tables asked for in the same request; so
a request costs a constant number of round-trips whatever the size of the park.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from hub.db.driver import Database
from hub.errors import NotAuthenticated
from hub.identity.model import Principal
from hub.network import access, coverage, demand, figures, graph, queries, utilisation
from hub.network.cache import FIGURES
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
from hub.registry.rules import CHINA

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
        self._tasks: dict[str, asyncio.Task[Any]] = {}

    def _once(self, name: str, make: Callable[[], Awaitable[T]]) -> Awaitable[T]:
        """The named part, read once even when resolvers ask for it concurrently."""
        if name not in self._tasks:

            async def run() -> T:
                return await make()

            self._tasks[name] = asyncio.ensure_future(run())
        task: asyncio.Task[T] = self._tasks[name]
        return task

    async def members(self) -> list[Member]:
        return await self._once("members", lambda: self.db.read(queries.members, self.scope))

    async def member_ids(self) -> list[str]:
        return [m.uscc for m in await self.members()]

    async def offerings(self) -> list[OfferingFact]:
        async def read() -> list[OfferingFact]:
            ids = await self.member_ids()
            return await self.db.read(
                queries.offerings, self.scope, ids, china_today(), self.taxonomy
            )

        return await self._once("offerings", read)

    async def engagements(self) -> list[Engagement]:
        async def read() -> list[Engagement]:
            return await self.db.read(queries.engagements, self.scope, await self.member_ids())

        return await self._once("engagements", read)

    async def network(self) -> Network:
        members, offerings, engagements = await asyncio.gather(
            self.members(), self.offerings(), self.engagements()
        )
        return graph.build(self.scope, members, offerings, engagements, self.parks, self.taxonomy)

    async def figures(self) -> Figures:
        async def compute(fingerprint: str) -> Figures:
            members, engagements = await asyncio.gather(self.members(), self.engagements())
            return await asyncio.to_thread(figures.compute, members, engagements, fingerprint)

        return await self._once("figures", lambda: FIGURES.figures(self.db, self.scope, compute))

    async def coverage(self) -> list[CoverageRow]:
        return coverage.coverage(await self.offerings(), self.taxonomy, self.scope.branch)

    async def _unmet_rows(self) -> list[dict[str, Any]]:
        async def read() -> list[dict[str, Any]]:
            return await self.db.read(queries.unmet, self.scope, await self.member_ids())

        return await self._once("unmet", read)

    async def unmet_requests(self) -> list[UnmetRequest]:
        rows, offerings, members = await asyncio.gather(
            self._unmet_rows(), self.offerings(), self.members()
        )
        return demand.unmet_requests(
            rows, offerings, members, self.parks, self.taxonomy, self.scope
        )

    async def recruit(self) -> list[RecruitRow]:
        rows = await self._unmet_rows()
        return demand.recruit(rows, await self.unmet_requests(), self.taxonomy)

    def period(self) -> tuple[date, date]:
        return default_period(self.scope.start, self.scope.end, china_today())

    async def utilisation(self) -> list[UtilisationRow]:
        async def read() -> list[dict[str, Any]]:
            start, end = self.period()
            ids = await self.member_ids()
            return await self.db.read(queries.capacity, self.scope, ids, start, end)

        return utilisation.utilisation(await self._once("capacity", read), self.taxonomy)


async def _nodes(reader: NetworkReader) -> Sequence[Any]:
    return (await reader.network()).nodes


async def _edges(reader: NetworkReader) -> Sequence[Any]:
    return (await reader.network()).edges


async def _figures(reader: NetworkReader) -> Sequence[Any]:
    return (await reader.figures()).nodes


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
