"""Louvain communities as networkx computes them, on plain lists instead of graphs.

`communities(graph, seed)` is `networkx.community.louvain_communities(graph,
weight="weight", seed=seed)` for an undirected graph (resolution 1, threshold 1e-7): the
same steps in the same order, the same random draws (one shuffle of the nodes per level),
so the same partition (tests/network/test_louvain.py compares the two on generated
graphs). networkx builds a graph per level and computes modularity through its views;
here nodes are numbers, neighbours dicts and communities lists, which is several times
faster: the park page waits for these communities.

Modularity decides only when to stop (a level gaining at most 1e-7 ends it); its sums
may be added in another order than networkx's (which itself depends on the order of
sets of names, so on Python's hash seed), so the two could differ only for a level whose
gain lies within rounding of the threshold.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator

import networkx as nx

THRESHOLD = 0.0000001


class _Level:
    """One level's graph: node i is a community of the level below."""

    def __init__(self, adjacency: list[dict[int, float]], members: list[set[int]]) -> None:
        self.adjacency = adjacency  # neighbour -> weight, in networkx's insertion order
        self.members = members  # the original nodes each node stands for

    def degrees(self) -> list[float]:
        # a self-loop counts twice, as in networkx's Graph.degree
        return [sum(a.values()) + a.get(u, 0) for u, a in enumerate(self.adjacency)]

    def edges(self) -> list[tuple[int, int, float]]:
        """Each edge once, in networkx's Graph.edges order."""
        seen: set[int] = set()
        found = []
        for u, around in enumerate(self.adjacency):
            found += [(u, v, w) for v, w in around.items() if v not in seen]
            seen.add(u)
        return found


def _modularity(level: _Level, partition: list[set[int]]) -> float:
    degree = level.degrees()
    total = sum(degree)
    m, norm = total / 2, 1 / total**2

    def within(community: set[int]) -> Iterator[float]:
        # networkx's G.edges(community): each edge at a member once, then `if v in comm`
        seen: set[int] = set()
        for u in community:
            around = level.adjacency[u].items()
            yield from (w for v, w in around if v not in seen and v in community)
            seen.add(u)

    def contribution(community: set[int]) -> float:
        strength = sum(degree[u] for u in community)
        return sum(within(community)) / m - strength * strength * norm

    return sum(map(contribution, partition))


def _one_level(
    level: _Level, m: float, partition: list[set[int]], rng: random.Random
) -> tuple[list[set[int]], list[set[int]], bool]:
    n = len(level.adjacency)
    node2com = list(range(n))
    inner: list[set[int]] = [{u} for u in range(n)]
    degrees = level.degrees()
    total = list(degrees)
    nbrs = [{v: w for v, w in a.items() if v != u} for u, a in enumerate(level.adjacency)]
    order = list(range(n))
    rng.shuffle(order)
    moves, improvement = 1, False
    while moves > 0:
        moves = 0
        for u in order:
            best_mod = 0.0
            best_com = node2com[u]
            weights: defaultdict[int, float] = defaultdict(float)
            for v, w in nbrs[u].items():
                weights[node2com[v]] += w
            degree = degrees[u]
            total[best_com] -= degree
            remove_cost = -weights[best_com] / m + (total[best_com] * degree) / (2 * m**2)
            for com, w in weights.items():
                gain = remove_cost + w / m - (total[com] * degree) / (2 * m**2)
                if gain > best_mod:
                    best_mod, best_com = gain, com
            total[best_com] += degree
            if best_com != node2com[u]:
                stands_for = level.members[u]
                partition[node2com[u]].difference_update(stands_for)
                inner[node2com[u]].remove(u)
                partition[best_com].update(stands_for)
                inner[best_com].add(u)
                improvement = True
                moves += 1
                node2com[u] = best_com
    return [p for p in partition if p], [p for p in inner if p], improvement


def _next_level(level: _Level, inner: list[set[int]]) -> _Level:
    node2com = {}
    members = []
    for i, part in enumerate(inner):
        stands_for: set[int] = set()
        for u in part:
            node2com[u] = i
            stands_for.update(level.members[u])
        members.append(stands_for)
    adjacency: list[dict[int, float]] = [{} for _ in inner]
    for u, v, w in level.edges():
        a, b = node2com[u], node2com[v]
        weight = w + adjacency[a].get(b, 0)
        adjacency[a][b] = weight
        adjacency[b][a] = weight
    return _Level(adjacency, members)


def communities(graph: nx.Graph[str], seed: int) -> list[set[str]]:
    """The communities networkx's Louvain finds in `graph` (edge attribute "weight")."""
    names = list(graph)
    index = {u: i for i, u in enumerate(names)}
    adjacency: list[dict[int, float]] = [{} for _ in names]
    for u, v, w in graph.edges(data="weight", default=1):  # networkx copies it so first
        adjacency[index[u]][index[v]] = w
        adjacency[index[v]][index[u]] = w
    if not any(adjacency):
        return [{u} for u in names]
    rng = random.Random(seed)  # noqa: S311 - networkx's draws, not a secret
    level = _Level(adjacency, [{u} for u in range(len(names))])
    partition = [{u} for u in range(len(names))]
    mod = _modularity(level, [{u} for u in range(len(names))])
    m = sum(level.degrees()) / 2
    partition, inner, improvement = _one_level(level, m, partition, rng)
    found = partition
    improvement = True
    while improvement:
        found = [set(p) for p in partition]
        new_mod = _modularity(level, inner)
        if new_mod - mod <= THRESHOLD:
            break
        mod = new_mod
        level = _next_level(level, inner)
        partition, inner, improvement = _one_level(level, m, partition, rng)
    return [{names[u] for u in p} for p in found]
