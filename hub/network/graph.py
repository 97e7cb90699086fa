"""The park network as nodes and edges a drawing needs (labels zh/en, kind, size, weight).

- organization nodes: the scope's members, and (`external`) the partners outside it that
  they collaborated with; size = 1 + engagements (weighted degree).
- capability nodes: each capability offered at a scope site, at its own code; size =
  firms offering it.  park nodes: size = members in it.
- `offers` edges: organization -> capability, weight = its offerings of it in the scope.
- `located_in` edges: member -> each scope park it is in, weight 1.
- `collaborated_with` edges: one per pair of firms (undirected; source < target), weight
  = engagements between them, `value` = their summed awarded quotes for admins only.

Money (hub.network.money): the edges' values and the network's total value are given to
admins only; a park operator gets no figure computed from prices, whatever the filters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from hub.network.model import (
    Edge,
    EdgeKind,
    Engagement,
    Member,
    Network,
    Node,
    NodeKind,
    OfferingFact,
    Scope,
)
from hub.network.money import shown_money
from hub.reference.model import Park, Taxonomy


def org_id(uscc: str) -> str:
    return f"org:{uscc}"


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _root(code: str, taxonomy: Taxonomy) -> str:
    node = taxonomy.nodes.get(code)
    while node is not None and node.parent is not None:
        node = taxonomy.nodes.get(node.parent)
    return code if node is None else node.code


Pairs = dict[tuple[str, str], tuple[int, float]]  # (firm, firm) -> (engagements, value)


def collaborations(engagements: Iterable[Engagement]) -> Pairs:
    """Engagements per pair of firms (self-engagements left out), with summed value."""
    found: Pairs = {}
    for e in engagements:
        if e.requester.uscc == e.provider.uscc:
            continue
        key = pair(e.requester.uscc, e.provider.uscc)
        count, value = found.get(key, (0, 0.0))
        found[key] = (count + 1, value + (e.value or 0.0))
    return found


def _parks_in_scope(m: Member, scope: Scope) -> list[str]:
    return [p for p in m.parks if p in scope.parks]


def _engaged(pairs: Pairs) -> Counter[str]:
    """Engagements per firm over all its collaborations (its weighted degree)."""
    engaged: Counter[str] = Counter()
    for (a, b), (count, _) in pairs.items():
        engaged[a] += count
        engaged[b] += count
    return engaged


def _org_node(m: Member, engaged: int, scope: Scope, external: bool) -> Node:
    home = _parks_in_scope(m, scope) or list(m.parks) or [""]
    return Node(
        id=org_id(m.uscc),
        kind=NodeKind.ORGANIZATION,
        key=m.uscc,
        label_zh=m.name_zh,
        label_en=m.name_en,
        size=1 + engaged,
        group=home[0],
        external=external,
        org_kind=m.kind,
    )


def _organization_nodes(
    scope: Scope, members: list[Member], engagements: list[Engagement], pairs: Pairs
) -> list[Node]:
    """The members, then the partners outside the scope they engaged with (by USCC)."""
    engaged = _engaged(pairs)
    inside = {m.uscc for m in members}
    partners = {m.uscc: m for e in engagements for m in (e.requester, e.provider)}
    outside = [m for uscc, m in sorted(partners.items()) if uscc not in inside]
    return [_org_node(m, engaged[m.uscc], scope, False) for m in members] + [
        _org_node(m, engaged[m.uscc], scope, True) for m in outside
    ]


def _capability_nodes(offered: Counter[tuple[str, str]], taxonomy: Taxonomy) -> list[Node]:
    """Each capability offered, by code; its size is the number of firms offering it."""
    firms: dict[str, set[str]] = defaultdict(set)
    for uscc, code in offered:
        firms[code].add(uscc)
    return [_capability_node(code, len(firms[code]), taxonomy) for code in sorted(firms)]


def _capability_node(code: str, firms: int, taxonomy: Taxonomy) -> Node:
    cap = taxonomy.nodes[code]
    root = _root(code, taxonomy)
    return Node(f"cap:{code}", NodeKind.CAPABILITY, code, cap.name_zh, cap.name_en, firms, root)


def _park_nodes(scope: Scope, members: list[Member], parks: dict[str, Park]) -> list[Node]:
    """Each park of the scope, in its order; its size is the number of members in it."""
    in_park = Counter(p for m in members for p in _parks_in_scope(m, scope))
    return [_park_node(code, parks[code], in_park[code]) for code in scope.parks]


def _park_node(code: str, park: Park, members: int) -> Node:
    region = park.region.value
    return Node(f"park:{code}", NodeKind.PARK, code, park.name_zh, park.name_en, members, region)


def _offers_edges(offered: Counter[tuple[str, str]]) -> list[Edge]:
    return [
        Edge(f"offers:{u}:{c}", EdgeKind.OFFERS, org_id(u), f"cap:{c}", n, n)
        for (u, c), n in sorted(offered.items())
    ]


def _located_in_edges(scope: Scope, members: list[Member]) -> list[Edge]:
    return [
        Edge(f"located_in:{m.uscc}:{p}", EdgeKind.LOCATED_IN, org_id(m.uscc), f"park:{p}", 1, 1)
        for m in members
        for p in _parks_in_scope(m, scope)
    ]


def _collaboration_edges(scope: Scope, pairs: Pairs) -> list[Edge]:
    return [
        _collaboration_edge(scope, a, b, count, value)
        for (a, b), (count, value) in sorted(pairs.items())
    ]


def _collaboration_edge(scope: Scope, a: str, b: str, count: int, value: float) -> Edge:
    kind = EdgeKind.COLLABORATED_WITH
    money = shown_money(scope, value)
    return Edge(f"collaborated_with:{a}:{b}", kind, org_id(a), org_id(b), count, count, money)


def build(
    scope: Scope,
    members: list[Member],
    offerings: list[OfferingFact],
    engagements: list[Engagement],
    parks: dict[str, Park],
    taxonomy: Taxonomy,
) -> Network:
    """The scope's network: organization, capability and park nodes, then their edges."""
    pairs = collaborations(engagements)
    offered = Counter((o.uscc, o.capability) for o in offerings)
    nodes = _organization_nodes(scope, members, engagements, pairs)
    nodes += _capability_nodes(offered, taxonomy) + _park_nodes(scope, members, parks)
    edges = _offers_edges(offered) + _located_in_edges(scope, members)
    edges += _collaboration_edges(scope, pairs)
    count = sum(n for n, _ in pairs.values())
    total = sum(v for _, v in pairs.values())
    return Network(scope, tuple(nodes), tuple(edges), count, shown_money(scope, total))
