"""The park network's values: the scope asked for, the graph drawn, and the tables.

Plain dataclasses; they import neither strawberry nor neo4j.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class NodeKind(StrEnum):
    ORGANIZATION = "organization"
    CAPABILITY = "capability"
    PARK = "park"


class EdgeKind(StrEnum):
    OFFERS = "offers"  # organization -> capability, weight = offerings at scope sites
    LOCATED_IN = "located_in"  # organization -> park
    COLLABORATED_WITH = "collaborated_with"  # requester -- provider, awarded or completed


class CoverageStatus(StrEnum):
    MISSING = "missing"  # no firm of the scope offers it
    SINGLE = "single"  # exactly one firm does: a single point of failure
    COVERED = "covered"  # two or more


@dataclass(frozen=True)
class Scope:
    """Which parks (resolved and authorized) and which filters a network query is about."""

    parks: tuple[str, ...]
    branch: str | None = None  # a taxonomy code: only capabilities at or beneath it
    kinds: tuple[str, ...] = ()  # organization kinds of the members; empty = all
    start: date | None = None  # engagement windows and capacity buckets overlapping
    end: date | None = None  # [start, end], whole days, both inclusive
    full_access: bool = False  # admins: prices (edge values) and confidential requests

    def key(self) -> str:
        """A stable text key of what the figures depend on (confidential engagements
        count for admins only, so the access level is part of it)."""
        return "|".join(
            [
                "full" if self.full_access else "operator",
                ",".join(self.parks),
                self.branch or "",
                ",".join(self.kinds),
                self.start.isoformat() if self.start else "",
                self.end.isoformat() if self.end else "",
            ]
        )


@dataclass(frozen=True)
class Member:
    """An organization of the scope: in one of its parks (IN_PARK or a site there)."""

    uscc: str
    name_zh: str
    name_en: str
    kind: str
    parks: tuple[str, ...]


@dataclass(frozen=True)
class OfferingFact:
    """One active offering at a site in a scope park (capability at its exact code)."""

    uscc: str
    park: str
    capability: str
    certified: bool  # a valid, active certificate covers its site and capability today


@dataclass(frozen=True)
class Engagement:
    """An awarded or completed request between a requester and its provider."""

    request_id: str
    requester: Member
    provider: Member
    capability: str
    value: float | None  # the awarded quote (CNY), None when unknown
    confidential: bool


@dataclass(frozen=True)
class Node:
    id: str  # "org:USCC", "cap:CODE", "park:CODE"
    kind: NodeKind
    key: str  # the natural key: USCC, capability code, park code
    label_zh: str
    label_en: str
    size: float
    group: str  # organizations: first park; capabilities: level-1 branch; parks: region
    external: bool = False  # a partner outside the scope, drawn for its collaborations
    org_kind: str | None = None


@dataclass(frozen=True)
class Edge:
    id: str
    kind: EdgeKind
    source: str
    target: str
    weight: float
    count: int
    value: float | None = None  # collaboration value (CNY); admins only (hub.network.money)


@dataclass(frozen=True)
class Network:
    scope: Scope
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    engagements: int
    total_value: float | None  # admins only; None for operators (hub.network.money)


@dataclass(frozen=True)
class CoverageRow:
    capability: str
    level: int
    name_zh: str
    name_en: str
    firms: int  # firms of the scope offering it or anything beneath it
    certified_firms: int  # of those, with a valid certificate for that offering today
    status: CoverageStatus
    single_firm: str | None  # the one firm's USCC when status is SINGLE


@dataclass(frozen=True)
class UnmetRequest:
    request_id: str
    capability: str
    status: str
    requester: str | None  # hidden (None) for confidential requests unless admin
    provider: str | None  # who served it from outside; None when nobody (yet)
    provider_parks: tuple[str, ...]
    distance_km: float | None  # requester's park centroid to the serving site
    in_scope_firms: int  # firms of the scope offering the capability at all


@dataclass(frozen=True)
class RecruitRow:
    """A capability to recruit for, with the evidence that ranks it."""

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
    outside_parks: tuple[str, ...]


@dataclass(frozen=True)
class UtilisationRow:
    branch: str  # level-2 taxonomy node (it fixes the unit), or the node itself above
    month: str  # YYYY-MM of the bucket start (China time)
    unit: str
    total: float
    reserved: float
    shared: float  # reserved by requests of other organizations than the owner

    @property
    def utilisation(self) -> float | None:
        return None if self.total <= 0 else round(self.reserved / self.total, 4)

    @property
    def sharing_rate(self) -> float | None:
        return None if self.reserved <= 0 else round(self.shared / self.reserved, 4)


@dataclass(frozen=True)
class NodeFigure:
    uscc: str
    external: bool
    degree: int  # distinct partners
    weighted_degree: int  # engagements
    degree_centrality: float
    betweenness: float
    community: int


@dataclass(frozen=True)
class Community:
    id: int
    members: tuple[str, ...]
    parks: tuple[str, ...]


@dataclass(frozen=True)
class Bridge:
    source: str
    target: str
    cross_park: bool  # the two firms share no park


@dataclass(frozen=True)
class ParkLink:
    park_a: str
    park_b: str
    engagements: int


@dataclass(frozen=True)
class Figures:
    fingerprint: str
    computed_at: str
    exact_betweenness: bool
    # Per firm (degree, betweenness, community); None when they were not asked for:
    # betweenness is most of the cost, and the park page draws only the communities.
    nodes: tuple[NodeFigure, ...] | None
    communities: tuple[Community, ...]
    bridges: tuple[Bridge, ...]
    park_links: tuple[ParkLink, ...]
    source: str = field(default="computed", compare=False)  # computed | memory | store
