"""GraphQL for park operators: `parkNetwork(scope, filter)` and everything about it.

The root field authorizes and validates the scope (hub.network.access); each part
(nodes and edges, figures, coverage, unmet demand, utilisation, exports) is read only
when asked for, and what several parts share is read once (hub.network.service).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date
from enum import Enum
from typing import Any, cast
from urllib.parse import urlencode

import strawberry
from strawberry.scalars import JSON
from strawberry.types.nodes import SelectedField, Selection

from hub.api.context import Info
from hub.network import model
from hub.network.service import NetworkReader, open_reader
from hub.reference.model import Region
from hub.registry.enums import OrgKind
from hub.routing.model import RequestStatus

strawberry.enum(model.NodeKind, name="NetworkNodeKind")
strawberry.enum(model.EdgeKind, name="NetworkEdgeKind")
strawberry.enum(model.CoverageStatus, name="CoverageStatus")


@strawberry.enum(description="A table of the park network, for CSV export.")
class NetworkTable(Enum):
    NODES = "nodes"
    EDGES = "edges"
    FIGURES = "figures"
    COVERAGE = "coverage"
    UNMET_REQUESTS = "unmet_requests"
    RECRUIT = "recruit"
    UTILISATION = "utilisation"


@strawberry.enum(description="Download formats: the network as GraphML or JSON, a table as CSV.")
class ExportFormat(Enum):
    GRAPHML = "graphml"
    JSON = "json"
    CSV = "csv"


@strawberry.input(description="Which parks: some by code, a region, or (neither) all you see.")
class NetworkScopeInput:
    parks: list[str] | None = None
    region: Region | None = None


@strawberry.input(description="Filters: capability branch, organization kinds, period.")
class NetworkFilterInput:
    branch: str | None = strawberry.field(
        default=None, description="A taxonomy code: only capabilities at or beneath it."
    )
    kinds: list[OrgKind] | None = None
    start: date | None = strawberry.field(
        default=None, description="First day (China time) of the period."
    )
    end: date | None = strawberry.field(default=None, description="Last day, inclusive.")


@strawberry.type
class NetworkNode:
    id: strawberry.ID
    kind: model.NodeKind
    key: str
    label_zh: str
    label_en: str
    size: float
    group: str
    external: bool
    org_kind: OrgKind | None


@strawberry.type
class NetworkEdge:
    id: strawberry.ID
    kind: model.EdgeKind
    source: str
    target: str
    weight: float
    count: int
    value: float | None = strawberry.field(
        description=(
            "Summed awarded quotes (CNY) of a collaboration; admins only: null for park "
            "operators, who get no money figure at all (only counts)."
        )
    )


@strawberry.type
class NodeFigure:
    uscc: str
    external: bool
    degree: int
    weighted_degree: int
    degree_centrality: float
    betweenness: float
    community: int


@strawberry.type
class NetworkCommunity:
    id: int
    members: list[str]
    parks: list[str]


@strawberry.type
class NetworkBridge:
    source: str
    target: str
    cross_park: bool


@strawberry.type
class ParkLink:
    park_a: str
    park_b: str
    engagements: int


@strawberry.type(description="Figures of the collaboration network (cached per data state).")
class NetworkFigures:
    fingerprint: str
    computed_at: str
    source: str = strawberry.field(description="computed, memory or store (the shared cache).")
    exact_betweenness: bool
    nodes: list[NodeFigure]
    communities: list[NetworkCommunity]
    bridges: list[NetworkBridge]
    park_links: list[ParkLink]


@strawberry.type
class CoverageRow:
    capability: str
    level: int
    name_zh: str
    name_en: str
    firms: int
    certified_firms: int
    status: model.CoverageStatus
    single_firm: str | None


@strawberry.type
class UnmetRequest:
    request_id: strawberry.ID
    capability: str
    status: RequestStatus
    requester: str | None
    provider: str | None
    provider_parks: list[str]
    distance_km: float | None
    in_scope_firms: int


@strawberry.type
class RecruitRow:
    rank: int
    capability: str
    name_zh: str
    name_en: str
    unmet_requests: int
    requesters: int
    served_outside: int
    unserved: int
    in_scope_firms: int
    mean_distance_km: float | None
    outside_parks: list[str]


@strawberry.type
class UtilisationRow:
    branch: str
    month: str
    unit: str
    total: float
    reserved: float
    shared: float
    utilisation: float | None
    sharing_rate: float | None


def _graphql_copy(kind: type[Any], item: Any, **overrides: Any) -> Any:
    """The GraphQL object `kind` with the fields of the model dataclass `item` (tuples as
    lists), `overrides` replacing some of them."""
    # A shallow copy: dataclasses.asdict deep-copies every value, which costs seconds
    # over the ~10,000 nodes and edges of a large park.
    data = {f.name: getattr(item, f.name) for f in fields(item)}
    data = {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}
    return kind(**{**data, **overrides})


def _selects(selections: Sequence[Selection], name: str) -> bool:
    """Whether `name` is among the selected fields, fragments included."""
    return any(
        s.name == name if isinstance(s, SelectedField) else _selects(s.selections, name)
        for s in selections
    )


def _figures(f: model.Figures) -> NetworkFigures:
    return NetworkFigures(
        fingerprint=f.fingerprint,
        computed_at=f.computed_at,
        source=f.source,
        exact_betweenness=f.exact_betweenness,
        nodes=[_graphql_copy(NodeFigure, n) for n in f.nodes or ()],
        communities=[_graphql_copy(NetworkCommunity, c) for c in f.communities],
        bridges=[_graphql_copy(NetworkBridge, b) for b in f.bridges],
        park_links=[_graphql_copy(ParkLink, p) for p in f.park_links],
    )


@strawberry.type(description="The network of some parks, as the caller may see it.")
class ParkNetwork:
    reader: strawberry.Private[NetworkReader]

    @strawberry.field(description="The park codes in scope.")
    def parks(self) -> list[str]:
        return list(self.reader.scope.parks)

    @strawberry.field
    async def nodes(self) -> list[NetworkNode]:
        return [
            _graphql_copy(
                NetworkNode, n, org_kind=None if n.org_kind is None else OrgKind(n.org_kind)
            )
            for n in (await self.reader.network()).nodes
        ]

    @strawberry.field
    async def edges(self) -> list[NetworkEdge]:
        return [_graphql_copy(NetworkEdge, e) for e in (await self.reader.network()).edges]

    @strawberry.field(description="Awarded or completed engagements between firms.")
    async def engagements(self) -> int:
        return (await self.reader.network()).engagements

    @strawberry.field(
        description=(
            "Their summed value (CNY); admins only. Always null for park operators, "
            "whatever the filters: totals over filtered sets could be differenced into "
            "one engagement's price."
        )
    )
    async def total_value(self) -> float | None:
        return (await self.reader.network()).total_value

    @strawberry.field
    async def figures(self, info: Info) -> NetworkFigures:
        # The per-firm figures (betweenness: most of the cost) only when asked for.
        asked = any(_selects(f.selections, "nodes") for f in info.selected_fields)
        return _figures(await self.reader.figures(with_nodes=asked))

    @strawberry.field(description="Every taxonomy node (of the branch) and its firms.")
    async def coverage(self, status: model.CoverageStatus | None = None) -> list[CoverageRow]:
        rows = await self.reader.coverage()
        return [_graphql_copy(CoverageRow, r) for r in rows if status is None or r.status is status]

    @strawberry.field(description="Requests of members that no member was routed.")
    async def unmet_requests(self) -> list[UnmetRequest]:
        return [
            _graphql_copy(UnmetRequest, r, status=RequestStatus(r.status))
            for r in await self.reader.unmet_requests()
        ]

    @strawberry.field(description="Capabilities to recruit for, best first, with evidence.")
    async def recruit(self) -> list[RecruitRow]:
        return [_graphql_copy(RecruitRow, r) for r in await self.reader.recruit()]

    @strawberry.field(description="Reserved / total and sharing rate by branch and month.")
    async def utilisation(self) -> list[UtilisationRow]:
        return [
            _graphql_copy(UtilisationRow, r, utilisation=r.utilisation, sharing_rate=r.sharing_rate)
            for r in await self.reader.utilisation()
        ]

    @strawberry.field(description="The period utilisation covers: [start, end].")
    def utilisation_period(self) -> list[date]:
        return list(self.reader.period())

    @strawberry.field(
        description="The network as GraphML, undirected (Gephi, Cytoscape, igraph, networkx)."
    )
    async def graphml(self, with_figures: bool = False) -> str:
        return await self.reader.graphml(with_figures)

    @strawberry.field(description="The network as JSON, Cytoscape.js elements shape.")
    async def json(self, with_figures: bool = False) -> JSON:
        return cast(JSON, await self.reader.json(with_figures))

    @strawberry.field(
        description=(
            "A table as CSV (UTF-8 with BOM, for Excel); text cells quoted, and those "
            "starting with = + - @, tab or carriage return prefixed with ' (never formulas)."
        )
    )
    async def csv(self, table: NetworkTable) -> str:
        return await self.reader.csv(table.value)

    @strawberry.field(description="Path of a download of this network (GET, same token).")
    def download_path(self, format: ExportFormat, table: NetworkTable | None = None) -> str:
        scope = self.reader.scope
        name = "network" if format is not ExportFormat.CSV else (table or NetworkTable.NODES).value
        query: list[tuple[str, str]] = [("parks", p) for p in scope.parks]
        query += [("kinds", k) for k in scope.kinds]
        query += [
            (k, str(v))
            for k, v in (("branch", scope.branch), ("start", scope.start), ("end", scope.end))
            if v is not None
        ]
        return f"/network/{name}.{format.value}?{urlencode(query)}"


@strawberry.type
class NetworkQuery:
    @strawberry.field(
        description="Park operators: the network of your parks (admins: any). Sign-in needed."
    )
    async def park_network(
        self,
        info: Info,
        scope: NetworkScopeInput | None = None,
        filter: NetworkFilterInput | None = None,
    ) -> ParkNetwork:
        ctx = info.context
        scope = scope or NetworkScopeInput()
        filter = filter or NetworkFilterInput()
        reader = await open_reader(
            ctx.db,
            ctx.principal,
            await ctx.parks(),
            await ctx.taxonomy(),
            parks=scope.parks,
            region=scope.region,
            branch=filter.branch,
            kinds=filter.kinds or (),
            start=filter.start,
            end=filter.end,
        )
        return ParkNetwork(reader=reader)
