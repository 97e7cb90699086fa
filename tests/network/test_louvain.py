"""hub.network.louvain finds the communities networkx's Louvain finds, graph for graph."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from hub.network import louvain


def _partition(parts: list[set[str]]) -> list[list[str]]:
    return sorted(sorted(p) for p in parts)


def _graph(rng: random.Random, n: int, edges: int, self_loops: bool) -> nx.Graph[str]:
    graph: nx.Graph[str] = nx.Graph()
    names = [f"9111{rng.randrange(10**8):08d}X{i}" for i in range(n)]
    rng.shuffle(names)
    graph.add_nodes_from(names)  # isolated firms too, as the park's figures have them
    for _ in range(edges):
        a, b = rng.choice(names), rng.choice(names)
        if a != b or self_loops:
            graph.add_edge(a, b, weight=rng.choice([1, 1, 1, 2, 3, 7]))
    return graph


@pytest.mark.parametrize("trial", range(40))
def test_the_same_communities_as_networkx(trial: int) -> None:
    rng = random.Random(trial)
    n = rng.choice([1, 2, 5, 30, 200, 600])
    graph = _graph(rng, n, rng.choice([0, n // 2, n, 3 * n]), self_loops=trial % 4 == 0)
    for seed in (7, trial):
        expected = nx.community.louvain_communities(graph, weight="weight", seed=seed)
        assert _partition(louvain.communities(graph, seed)) == _partition(expected)
