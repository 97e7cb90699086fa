"""The network query: nodes and edges a drawing needs, filters, and constant round-trips."""

from __future__ import annotations

import httpx

from hub.db.driver import counting_round_trips
from hub.reference import store as reference_store
from tests.network import sample
from tests.network.conftest import Callers, park_network

REFERENCE_READS = {reference_store.TAXONOMY, reference_store.PARKS}

U = sample.USCC
NODES = "parks nodes { id kind key labelZh labelEn size group external orgKind }"
EDGES = "edges { id kind source target weight count value } engagements totalValue"


def by_id(items: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(i["id"]): i for i in items}


async def test_the_park_network_has_members_partners_capabilities_and_the_park(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    data = await park_network(app_client, callers.operator, f"{NODES} {EDGES}")
    assert data["parks"] == [sample.A]
    nodes = by_id(data["nodes"])
    orgs = {n["key"]: n for n in nodes.values() if n["kind"] == "ORGANIZATION"}
    assert set(orgs) == {U[f] for f in ("a1", "a2", "a3", "a4", "a5", "b1", "c1")}
    assert {k for k, n in orgs.items() if n["external"]} == {U["b1"], U["c1"]}
    # the organization kind as the OrganizationKind enum, like the `kinds` filter takes it
    assert {f: orgs[U[f]]["orgKind"] for f in ("a1", "a2", "a4")} == {
        "a1": "REQUESTER",
        "a2": "PROVIDER",
        "a4": "BOTH",
    }
    assert all(n["orgKind"] is None for n in nodes.values() if n["kind"] != "ORGANIZATION")
    # size = 1 + engagements: a1 has E1, E2, E4, E7
    assert orgs[U["a1"]]["size"] == 5 and orgs[U["a5"]]["size"] == 1
    assert orgs[U["a1"]]["labelEn"] == "Firm a1" and orgs[U["a1"]]["group"] == sample.A
    caps = {n["key"]: n for n in nodes.values() if n["kind"] == "CAPABILITY"}
    assert {k: n["size"] for k, n in caps.items()} == {
        "BIO.USP.FB": 2,
        "BIO.DSP.CAP": 1,
        "DIS.CHM.MED": 1,
    }
    assert caps["BIO.USP.FB"]["group"] == "BIO" and caps["BIO.USP.FB"]["labelZh"]
    park = nodes[f"park:{sample.A}"]
    assert park["size"] == 5 and park["group"] == "beijing"
    edges = by_id(data["edges"])
    kinds = [e["kind"] for e in edges.values()]
    assert kinds.count("OFFERS") == 4 and kinds.count("LOCATED_IN") == 5
    collaborations = {
        frozenset((e["source"], e["target"])): e
        for e in edges.values()
        if e["kind"] == "COLLABORATED_WITH"
    }
    assert len(collaborations) == 6
    a1_a2 = collaborations[frozenset((f"org:{U['a1']}", f"org:{U['a2']}"))]
    assert a1_a2["weight"] == 2 and a1_a2["count"] == 2
    assert a1_a2["value"] is None  # operators never see prices
    assert data["engagements"] == 7
    assert data["totalValue"] is None  # operators see counts, no money (hub.network.money)


async def test_admins_see_collaboration_values(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    data = await park_network(app_client, callers.admin, EDGES, scope={"parks": [sample.A]})
    values = {
        frozenset((e["source"], e["target"])): e["value"]
        for e in data["edges"]
        if e["kind"] == "COLLABORATED_WITH"
    }
    assert values[frozenset((f"org:{U['a1']}", f"org:{U['a2']}"))] == 300
    assert data["totalValue"] == 100 + 200 + 50 + 70 + 10 + 90 + 500


async def test_branch_period_and_kind_filters_narrow_the_network(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    data = await park_network(
        app_client, callers.operator, f"{NODES} {EDGES}", filter={"branch": "BIO"}
    )
    caps = {n["key"] for n in data["nodes"] if n["kind"] == "CAPABILITY"}
    assert caps == {"BIO.USP.FB", "BIO.DSP.CAP"}
    # E5 (DIS) and E7 (CGT) drop out: c1 is no longer drawn
    assert data["engagements"] == 5
    assert f"org:{U['c1']}" not in by_id(data["nodes"])
    dated = await park_network(
        app_client,
        callers.operator,
        EDGES,
        filter={"start": "2025-01-01", "end": "2025-12-31"},
    )
    assert dated["engagements"] == 1  # only E7's window is in 2025
    assert dated["totalValue"] is None  # operators never get a money figure
    requesters = await park_network(
        app_client, callers.operator, NODES, filter={"kinds": ["REQUESTER"]}
    )
    orgs = {n["key"]: n["external"] for n in requesters["nodes"] if n["kind"] == "ORGANIZATION"}
    # members a1 and a5; a1's partners outside the filter are drawn as external
    assert orgs == {U["a1"]: False, U["a5"]: False, U["a2"]: True, U["a3"]: True, U["c1"]: True}


EVERYTHING = f"""{NODES} {EDGES}
  figures {{ nodes {{ uscc betweenness }} }}
  coverage {{ capability firms }} unmetRequests {{ requestId }} recruit {{ capability }}
  utilisation {{ branch }} graphml json csv(table: COVERAGE)"""


async def test_round_trips_do_not_grow_with_the_network(
    app_client: httpx.AsyncClient, callers: Callers, network: object
) -> None:
    with counting_round_trips() as small:
        await park_network(app_client, callers.admin, EVERYTHING, scope={"parks": [sample.A]})
    await sample.build_more(network, 40)  # 40 more firms in A, each engaged twice
    with counting_round_trips() as large:
        data = await park_network(
            app_client, callers.admin, EVERYTHING, scope={"parks": [sample.A]}
        )
    assert len(data["figures"]["nodes"]) == 7 + 40
    # reference data is read when the process's copy is older than its TTL: not the
    # network's cost, and pinned in tests/graphql/test_read_path.py
    own = [[q for q in qs if q not in REFERENCE_READS] for qs in (small, large)]
    assert len(own[1]) == len(own[0]) <= 12
