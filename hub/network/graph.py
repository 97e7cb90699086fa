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


def collaborations(
    engagements: Iterable[Engagement],
) -> dict[tuple[str, str], tuple[int, float]]:
    """Engagements per pair of firms (self-engagements left out), with summed value."""
    found: dict[tuple[str, str], tuple[int, float]] = {}
    for e in engagements:
        if e.requester.uscc == e.provider.uscc:
            continue
        key = pair(e.requester.uscc, e.provider.uscc)
        count, value = found.get(key, (0, 0.0))
        found[key] = (count + 1, value + (e.value or 0.0))
    return found


def _org_node(m: Member, engaged: int, scope: Scope, external: bool) -> Node:
    home = [p for p in m.parks if p in scope.parks] or list(m.parks) or [""]
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


def build(
    scope: Scope,
    members: list[Member],
    offerings: list[OfferingFact],
    engagements: list[Engagement],
    parks: dict[str, Park],
    taxonomy: Taxonomy,
) -> Network:
    inside = {m.uscc: m for m in members}
    partners = {m.uscc: m for e in engagements for m in (e.requester, e.provider)}
    pairs = collaborations(engagements)
    engaged: Counter[str] = Counter()
    for (a, b), (count, _) in pairs.items():
        engaged[a] += count
        engaged[b] += count
    nodes = [_org_node(m, engaged[m.uscc], scope, False) for m in members]
    nodes += [
        _org_node(m, engaged[u], scope, True)
        for u, m in sorted(partners.items())
        if u not in inside
    ]
    offered: Counter[tuple[str, str]] = Counter((o.uscc, o.capability) for o in offerings)
    firms: dict[str, set[str]] = defaultdict(set)
    for uscc, code in offered:
        firms[code].add(uscc)
    for code in sorted(firms):
        cap = taxonomy.nodes[code]
        nodes.append(
            Node(
                f"cap:{code}",
                NodeKind.CAPABILITY,
                code,
                cap.name_zh,
                cap.name_en,
                len(firms[code]),
                _root(code, taxonomy),
            )
        )
    in_park: Counter[str] = Counter(p for m in members for p in m.parks if p in scope.parks)
    for code in scope.parks:
        park = parks[code]
        nodes.append(
            Node(
                f"park:{code}",
                NodeKind.PARK,
                code,
                park.name_zh,
                park.name_en,
                in_park[code],
                park.region.value,
            )
        )
    edges = [
        Edge(f"offers:{u}:{c}", EdgeKind.OFFERS, org_id(u), f"cap:{c}", n, n)
        for (u, c), n in sorted(offered.items())
    ]
    edges += [
        Edge(f"located_in:{m.uscc}:{p}", EdgeKind.LOCATED_IN, org_id(m.uscc), f"park:{p}", 1, 1)
        for m in members
        for p in m.parks
        if p in scope.parks
    ]
    edges += [
        Edge(
            f"collaborated_with:{a}:{b}",
            EdgeKind.COLLABORATED_WITH,
            org_id(a),
            org_id(b),
            count,
            count,
            shown_money(scope, value),
        )
        for (a, b), (count, value) in sorted(pairs.items())
    ]
    count = sum(n for n, _ in pairs.values())
    total = sum(v for _, v in pairs.values())
    return Network(scope, tuple(nodes), tuple(edges), count, shown_money(scope, total))
