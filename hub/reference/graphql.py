"""GraphQL for reference data: parks, capacity units and the capability taxonomy (public)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from hub.api.context import Info
from hub.graphql.problems import Problems, attempt
from hub.reference import service, store
from hub.reference.model import Capability, Park, Region
from hub.search import fulltext_query

strawberry.enum(Region, name="Region")
MAX_SEARCH_RESULTS = 50


@strawberry.type(name="Unit", description="A capacity unit, e.g. 升·批 / bioreactor litre-batches.")
class UnitType:
    code: str
    name_zh: str
    name_en: str


@strawberry.type(name="Park", description="A biomedical park of 京津冀 (WGS-84 centroid).")
class ParkType:
    code: str
    name_zh: str
    name_en: str
    region: Region
    city_zh: str
    city_en: str
    district_zh: str
    district_en: str
    lat: float
    lon: float
    area_km2: float | None
    note_en: str

    @classmethod
    def of(cls, park: Park) -> ParkType:
        return cls(**park.__dict__)


@strawberry.type(name="Capability", description="A node of the three-level capability taxonomy.")
class CapabilityType:
    code: str
    level: int
    name_zh: str
    name_en: str
    parent_code: str | None
    unit_code: str | None = strawberry.field(
        description="Capacity unit of this node (inherited from its level-2 ancestor)."
    )

    @classmethod
    def of(cls, node: Capability) -> CapabilityType:
        return cls(
            code=node.code,
            level=node.level,
            name_zh=node.name_zh,
            name_en=node.name_en,
            parent_code=node.parent,
            unit_code=node.unit,
        )

    @strawberry.field
    async def unit(self, info: Info) -> UnitType | None:
        units = (await info.context.taxonomy()).units
        unit = units.get(self.unit_code) if self.unit_code else None
        return None if unit is None else UnitType(**unit.__dict__)

    @strawberry.field(description="The narrower nodes, in code order.")
    async def children(self, info: Info) -> list[CapabilityType]:
        taxonomy = await info.context.taxonomy()
        return [CapabilityType.of(c) for c in taxonomy.children(self.code)]


@strawberry.type
class ReferenceQuery:
    @strawberry.field(description="The biomedical parks, optionally of one region.")
    async def parks(self, info: Info, region: Region | None = None) -> list[ParkType]:
        parks = await info.context.db.read(store.parks, region)
        return [ParkType.of(p) for p in parks]

    @strawberry.field(description="The top level of the capability taxonomy; walk `children`.")
    async def taxonomy(self, info: Info) -> list[CapabilityType]:
        return [CapabilityType.of(c) for c in (await info.context.taxonomy()).children(None)]

    @strawberry.field(description="One taxonomy node by code, e.g. DP.STE.LYO.")
    async def capability(self, info: Info, code: str) -> CapabilityType | None:
        node = (await info.context.taxonomy()).nodes.get(code.strip().upper())
        return None if node is None else CapabilityType.of(node)

    @strawberry.field(description="Taxonomy nodes matching Chinese or English text (冻干, lyo).")
    async def search_capabilities(self, info: Info, text: str) -> list[CapabilityType]:
        query = fulltext_query(text)
        if query is None:
            return []
        codes = await info.context.db.read(store.search_capabilities, query, MAX_SEARCH_RESULTS)
        nodes = (await info.context.taxonomy()).nodes
        return [CapabilityType.of(nodes[c]) for c in codes if c in nodes]


@strawberry.input
class CapabilityInput:
    parent: str = strawberry.field(description="The code of the node to add beneath.")
    segment: str = strawberry.field(description="2-6 letters or digits: DP.STE + BFS.")
    name_zh: str
    name_en: str
    unit: str | None = strawberry.field(
        default=None, description="A unit code; by default the parent's unit."
    )


@strawberry.type
class CapabilityAdded:
    capability: CapabilityType


AddCapabilityResult = Annotated[CapabilityAdded | Problems, strawberry.union("AddCapabilityResult")]


@strawberry.type
class ReferenceMutation:
    @strawberry.mutation(description="Add a taxonomy node (admins only).")
    async def add_capability(self, info: Info, input: CapabilityInput) -> AddCapabilityResult:
        ctx = info.context
        principal = ctx.require_principal()

        async def change() -> CapabilityAdded:
            node = await service.add_capability(
                ctx.db,
                principal,
                input.parent,
                input.segment,
                input.name_zh,
                input.name_en,
                input.unit,
            )
            return CapabilityAdded(capability=CapabilityType.of(node))

        return await attempt(ctx.language, change)
