"""Figures of the collaboration network, computed with networkx.

The graph: one node per member of the scope (isolated ones included, they are part of
the park) and per outside partner; one undirected edge per pair of firms that had an
awarded or completed engagement, `weight` = engagements.

- degree: distinct partners; weighted degree: engagements; degree centrality:
  degree / (n - 1) (networkx `degree_centrality`).
- betweenness: share of shortest paths (unweighted hops) between other pairs that pass
  through the firm, normalized by (n-1)(n-2)/2 (networkx `betweenness_centrality`).
  Exact up to EXACT_BETWEENNESS_MAX nodes; above, estimated from SAMPLE_PIVOTS pivots
  with a fixed seed (so the same data gives the same figures).
- communities: Louvain on the weighted graph with a fixed seed (networkx's
  `louvain_communities`, computed by hub.network.louvain); numbered by size (then
  smallest member), singletons (firms without partners) are numbered but not listed.
- bridges: edges whose removal disconnects their component (networkx `bridges`);
  `cross_park` when the two firms share no park: these are the links between parks.
- park links: engagements between firms of two different parks (a firm in two parks
  counts for both; within-park engagements are not park links).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import networkx as nx

from hub.network import louvain
from hub.network.graph import collaborations
from hub.network.model import (
    Bridge,
    Community,
    Engagement,
    Figures,
    Member,
    NodeFigure,
    ParkLink,
)

EXACT_BETWEENNESS_MAX = 1000
SAMPLE_PIVOTS = 200
SEED = 7


def collaboration_graph(members: list[Member], engagements: list[Engagement]) -> nx.Graph[str]:
    graph: nx.Graph[str] = nx.Graph()
    for m in members:
        graph.add_node(m.uscc, parks=m.parks, external=False)
    for e in engagements:
        for m in (e.requester, e.provider):
            if m.uscc not in graph:
                graph.add_node(m.uscc, parks=m.parks, external=True)
    for (a, b), (count, _) in collaborations(engagements).items():
        graph.add_edge(a, b, weight=count)
    return graph


def _betweenness(graph: nx.Graph[str]) -> dict[str, float]:
    if graph.number_of_nodes() <= EXACT_BETWEENNESS_MAX:
        return nx.betweenness_centrality(graph, normalized=True)
    return nx.betweenness_centrality(graph, k=SAMPLE_PIVOTS, normalized=True, seed=SEED)


def _communities(graph: nx.Graph[str]) -> list[list[str]]:
    found = louvain.communities(graph, seed=SEED)  # networkx's partition, faster
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def _park_links(graph: nx.Graph[str]) -> list[ParkLink]:
    links: Counter[tuple[str, str]] = Counter()
    for a, b, data in graph.edges(data=True):
        weight = int(data["weight"])
        for pa in graph.nodes[a]["parks"]:
            for pb in graph.nodes[b]["parks"]:
                if pa != pb:
                    links[(min(pa, pb), max(pa, pb))] += weight
    return [ParkLink(a, b, n) for (a, b), n in sorted(links.items())]


def _node_figures(graph: nx.Graph[str], community: dict[str, int]) -> tuple[NodeFigure, ...]:
    n = graph.number_of_nodes()
    centrality = nx.degree_centrality(graph) if n > 1 else dict.fromkeys(graph, 0.0)
    betweenness = _betweenness(graph)
    return tuple(
        NodeFigure(
            uscc=u,
            external=graph.nodes[u]["external"],
            degree=graph.degree(u),
            weighted_degree=int(graph.degree(u, weight="weight")),
            degree_centrality=round(centrality[u], 6),
            betweenness=round(betweenness[u], 6),
            community=community[u],
        )
        for u in sorted(graph)
    )


def compute(
    members: list[Member], engagements: list[Engagement], fingerprint: str, with_nodes: bool = True
) -> Figures:
    """All figures of one scope, the per-firm ones (betweenness: most of the cost) only
    `with_nodes`; CPU-bound, so callers run it in a worker thread."""
    graph = collaboration_graph(members, engagements)
    n = graph.number_of_nodes()
    groups = _communities(graph) if n else []
    community = {u: i for i, group in enumerate(groups) for u in group}
    listed = tuple(
        Community(
            i,
            tuple(group),
            tuple(sorted({p for u in group for p in graph.nodes[u]["parks"]})),
        )
        for i, group in enumerate(groups)
        if len(group) > 1
    )
    bridges = tuple(
        Bridge(a, b, not set(graph.nodes[a]["parks"]) & set(graph.nodes[b]["parks"]))
        for a, b in sorted(tuple(sorted(e)) for e in nx.bridges(graph))
    )
    return Figures(
        fingerprint=fingerprint,
        computed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        exact_betweenness=n <= EXACT_BETWEENNESS_MAX,
        nodes=_node_figures(graph, community) if with_nodes else None,
        communities=listed,
        bridges=bridges,
        park_links=tuple(_park_links(graph)),
    )
