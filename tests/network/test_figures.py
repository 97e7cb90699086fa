"""Collaboration figures on the hand-built network, every answer computed by hand.

Scope A's collaboration graph (n = 7): triangle a1-a2-a3 (a1-a2 twice), c1 on a1, a4 on
a3, b1 on a4; a5 has no partner.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hub.db.driver import Database, Tx
from tests import factories
from tests.network import sample
from tests.network.conftest import Callers, park_network

U = sample.USCC
FIGURES = """figures { source exactBetweenness
  nodes { uscc external degree weightedDegree degreeCentrality betweenness community }
  communities { id members parks } bridges { source target crossPark }
  parkLinks { parkA parkB engagements } }"""


async def figures(client: httpx.AsyncClient, token: str, **variables: Any) -> dict[str, Any]:
    data = await park_network(client, token, FIGURES, **variables)
    result: dict[str, Any] = data["figures"]
    return result


async def test_degree_and_degree_centrality(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    found = await figures(app_client, callers.operator)
    nodes = {n["uscc"]: n for n in found["nodes"]}
    degree = {f: nodes[U[f]]["degree"] for f in sample.FIRMS}
    assert degree == {"a1": 3, "a2": 2, "a3": 3, "a4": 2, "a5": 0, "b1": 1, "c1": 1}
    weighted = {f: nodes[U[f]]["weightedDegree"] for f in sample.FIRMS}
    assert weighted == {"a1": 4, "a2": 3, "a3": 3, "a4": 2, "a5": 0, "b1": 1, "c1": 1}
    # degree / (n - 1) with n = 7
    assert nodes[U["a1"]]["degreeCentrality"] == pytest.approx(3 / 6, abs=1e-6)
    assert nodes[U["a4"]]["degreeCentrality"] == pytest.approx(2 / 6, abs=1e-6)
    assert nodes[U["c1"]]["degreeCentrality"] == pytest.approx(1 / 6, abs=1e-6)
    assert {U[f] for f in ("b1", "c1")} == {u for u, n in nodes.items() if n["external"]}


async def test_betweenness(app_client: httpx.AsyncClient, callers: Callers) -> None:
    # Shortest paths through a1: c1 to a2, a3, a4, b1 (4 pairs); through a3: c1-a4, c1-b1,
    # a1-a4, a1-b1, a2-a4, a2-b1 (6); through a4: c1-b1, a1-b1, a2-b1, a3-b1 (4).
    # Normalized by (n-1)(n-2)/2 = 15.
    found = await figures(app_client, callers.operator)
    assert found["exactBetweenness"] is True
    betweenness = {n["uscc"]: n["betweenness"] for n in found["nodes"]}
    expected = {"a1": 4 / 15, "a3": 6 / 15, "a4": 4 / 15}
    for firm in sample.FIRMS:
        assert betweenness[U[firm]] == pytest.approx(expected.get(firm, 0.0), abs=1e-6), firm


async def test_bridges_and_links_between_parks(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    found = await figures(app_client, callers.operator)
    bridges = {frozenset((b["source"], b["target"])): b["crossPark"] for b in found["bridges"]}
    # every edge outside the triangle is a bridge; a4-b1 and a1-c1 leave park A
    assert bridges == {
        frozenset((U["a1"], U["c1"])): True,
        frozenset((U["a3"], U["a4"])): False,
        frozenset((U["a4"], U["b1"])): True,
    }
    links = {(p["parkA"], p["parkB"]): p["engagements"] for p in found["parkLinks"]}
    assert links == {tuple(sorted((sample.A, sample.B))): 1, tuple(sorted((sample.A, sample.C))): 1}


CLIQUES = """
UNWIND $firms AS f
MATCH (p:Park {code: f.park})
CREATE (o:Organization {uscc: f.uscc, name_zh: f.uscc, name_en: f.uscc, kind: 'both',
                        active: true, updated_at: datetime()})-[:IN_PARK]->(p)
WITH count(*) AS done
UNWIND $pairs AS x
MATCH (q:Organization {uscc: x[0]}), (p:Organization {uscc: x[1]}),
      (c:Capability {code: 'DIS.CHM.MED'})
CREATE (q)-[:REQUESTED]->(r:Request {id: x[0] + x[1], status: 'completed',
        requester: x[0], earliest_start: date('2027-01-04'), need_by: date('2027-01-31')})
CREATE (r)-[:NEEDS]->(c), (r)-[:AWARDED_TO]->(p)
"""


async def _cliques(tx: Tx, firms: list[dict[str, str]], pairs: list[list[str]]) -> None:
    await tx.run(CLIQUES, firms=firms, pairs=pairs)


async def test_communities_are_the_two_cliques_joined_by_one_bridge(
    app_client: httpx.AsyncClient, clean: Database
) -> None:
    # Two 4-cliques, p1..p4 in park A and q1..q4 in park B, joined by p1-q1.
    p = [factories.uscc(500 + i) for i in range(4)]
    q = [factories.uscc(600 + i) for i in range(4)]
    firms = [{"uscc": u, "park": sample.A} for u in p] + [{"uscc": u, "park": sample.B} for u in q]
    pairs = [[g[i], g[j]] for g in (p, q) for i in range(4) for j in range(i + 1, 4)]
    await clean.write(_cliques, firms, [*pairs, [p[0], q[0]]])
    admin = await factories.token(clean, "admin@hub.test", "admin")
    found = await figures(app_client, admin, scope={"parks": [sample.A, sample.B]})
    communities = {frozenset(c["members"]): c["parks"] for c in found["communities"]}
    assert communities == {frozenset(p): [sample.A], frozenset(q): [sample.B]}
    assert [(b["crossPark"]) for b in found["bridges"]] == [True]
    # p1 lies on the paths from p2..p4 to q1..q4: 12 of (n-1)(n-2)/2 = 21 pairs
    betweenness = {n["uscc"]: n["betweenness"] for n in found["nodes"]}
    assert betweenness[p[0]] == pytest.approx(12 / 21, abs=1e-6)
    assert betweenness[q[0]] == pytest.approx(12 / 21, abs=1e-6)
    assert betweenness[p[1]] == 0
