"""Every part is computed once per scope and data state: figures shared through the
database, the other parts in the process. A change of what a part reads recomputes it,
and a request for parts already computed costs one round-trip (the fingerprint)."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from hub.db.driver import Database, Tx, counting_round_trips
from hub.identity import service as identity
from hub.network import service, store
from hub.network.cache import DEPENDS, FIGURES
from hub.routing import service as requests
from hub.routing.store import writes as routing
from tests import factories
from tests.network import sample
from tests.network.conftest import Callers, park_network

U = sample.USCC
FIELDS = "figures { source fingerprint nodes { uscc degree } }"
# What the park network reads from Neo4j; the fingerprint is not among them.
READS = {
    store.MEMBERS,
    store.OFFERINGS,
    store.ENGAGEMENTS,
    store.UNMET,
    store.CAPACITY,
    store.STORED_FIGURES,
    store.STORE_FIGURES,
}
EVERYTHING = """nodes { id size } edges { id weight } engagements totalValue
  figures { nodes { uscc betweenness } } coverage { capability firms certifiedFirms }
  unmetRequests { requestId status } recruit { capability rank }
  utilisation { branch month total reserved shared } graphml json
  csv(table: COVERAGE) utilisationCsv: csv(table: UTILISATION)"""


async def _award(tx: Tx) -> None:
    await tx.run(
        "MATCH (r:Request {id: 'U1'}), (b1:Organization {uscc: $b1}) "
        "SET r.status = 'awarded', r.awarded_at = datetime() CREATE (r)-[:AWARDED_TO]->(b1)",
        b1=U["b1"],
    )


async def test_figures_come_from_memory_then_the_store_and_change_with_the_data(
    app_client: httpx.AsyncClient, callers: Callers, network: Database
) -> None:
    first = (await park_network(app_client, callers.operator, FIELDS))["figures"]
    assert first["source"] == "computed"
    again = (await park_network(app_client, callers.operator, FIELDS))["figures"]
    assert again["source"] == "memory" and again["nodes"] == first["nodes"]
    FIGURES.clear()  # as another hub process would start: the shared tier answers
    stored = (await park_network(app_client, callers.operator, FIELDS))["figures"]
    assert stored["source"] == "store" and stored["nodes"] == first["nodes"]
    await network.write(_award)  # a2 now also engaged b1
    changed = (await park_network(app_client, callers.operator, FIELDS))["figures"]
    assert changed["source"] == "computed" and changed["fingerprint"] != first["fingerprint"]
    degree = {n["uscc"]: n["degree"] for n in changed["nodes"]}
    assert degree[U["a2"]] == 3 and degree[U["b1"]] == 2


async def test_a_request_for_computed_parts_reads_only_the_fingerprint(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    scope = {"parks": [sample.A]}
    with counting_round_trips() as cold:
        first = await park_network(app_client, callers.admin, EVERYTHING, scope=scope)
    with counting_round_trips() as warm:
        again = await park_network(app_client, callers.admin, EVERYTHING, scope=scope)
    assert again == first
    assert set(cold) >= READS and cold.count(store.FINGERPRINT) == 1
    assert not READS & set(warm) and warm.count(store.FINGERPRINT) == 1
    assert len(warm) == len(cold) - len(READS)


def test_exports_with_figures_are_keyed_by_a_fingerprint_that_covers_the_figures() -> None:
    # service.NetworkReader.graphml and .json key both on the network's fingerprint
    assert set(DEPENDS["figures"]) <= set(DEPENDS["network"])


async def _mutate(client: httpx.AsyncClient, token: str, query: str, **variables: Any) -> None:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
    )
    body = response.json()
    assert "errors" not in body, body
    assert not next(iter(body["data"].values()))["__typename"].endswith("Problem"), body


ADJUST = "mutation($id: ID!, $t: Float!) { adjustCapacity(id: $id, total: $t) { __typename } }"
RETIRE = "mutation($id: ID!) { retireOffering(id: $id) { __typename } }"
UTILISATION = "utilisation { branch month total reserved shared } figures { source }"
MARCH_AND_APRIL = {"start": "2027-03-01", "end": "2027-04-30"}


def _usp(data: dict[str, Any]) -> dict[str, tuple[float, float, float]]:
    """BIO.USP's (total, reserved, shared) by month: a2's and a3's fed-batch capacity."""
    return {
        r["month"]: (r["total"], r["reserved"], r["shared"])
        for r in data["utilisation"]
        if r["branch"] == "BIO.USP"
    }


ROUTED_TO_A2 = """
MATCH (a1:Organization {uscc: $a1}), (a2:Organization {uscc: $a2}),
      (f:Offering {id: $offering}), (c:Capability {code: 'BIO.USP.FB'})
CREATE (a1)-[:REQUESTED]->(r:Request {id: $id, requester: $a1, capability: c.code,
    status: 'routed', created_at: datetime(), earliest_start: date('2027-03-08'),
    need_by: date('2027-03-14')})-[:NEEDS]->(c)
CREATE (m:Match {id: $id + '/a2', request_id: $id, uscc: $a2, status: 'accepted',
                 quote_price: 40.0})
CREATE (m)-[:FOR]->(r), (m)-[:TO]->(f), (m)-[:ROUTED_TO]->(a2)
"""
WEEK_OF_8_MARCH = sample.offering_id("a2/fb") + "@week/2027-03-08"


async def _routed_to_a2(tx: Tx, request_id: str) -> None:
    """a1 asks a2 for a fed-batch run in the week of 8 March, and a2 has quoted."""
    await tx.run(
        ROUTED_TO_A2, id=request_id, a1=U["a1"], a2=U["a2"], offering=sample.offering_id("a2/fb")
    )


async def _awarded(tx: Tx, request_id: str, quantity: float) -> None:
    """What an award writes (routing's own statement): `quantity` reserved that week."""
    offering = sample.offering_id("a2/fb")
    await routing.reserve(tx, request_id, f"{request_id}/a2", offering, [WEEK_OF_8_MARCH], quantity)


async def _cancel(db: Database, requester: str, request_id: str) -> None:
    """The requester withdraws a request (routing's cancel: reservations released)."""
    token = await factories.token(db, f"buyer@{request_id.lower()}.test", f"requester:{requester}")
    await requests.cancel(db, await identity.authenticate(db, token), request_id)


async def test_utilisation_follows_capacity_and_reservations(
    app_client: httpx.AsyncClient, callers: Callers, network: Database
) -> None:
    async def ask() -> dict[str, Any]:
        return await park_network(app_client, callers.operator, UTILISATION, filter=MARCH_AND_APRIL)

    assert _usp(await ask()) == {"2027-03": (20, 4, 3), "2027-04": (10, 6, 6)}
    with counting_round_trips() as cached:
        assert _usp(await ask())["2027-03"] == (20, 4, 3)
    assert store.CAPACITY not in cached
    # a2 raises a week's total (a registry write)
    await _mutate(app_client, callers.provider, ADJUST, id=WEEK_OF_8_MARCH, t=15.0)
    raised = await ask()
    assert _usp(raised)["2027-03"] == (25, 4, 3)
    assert raised["figures"]["source"] == "memory"  # figures read no capacity
    # a1 cancels E2: the 6 reserved for it in April are released
    await _cancel(network, U["a1"], "E2")
    assert _usp(await ask())["2027-04"] == (10, 0, 0)
    # R2, routed to a2, reserves nothing until it is awarded
    await network.write(_routed_to_a2, "R2")
    assert _usp(await ask())["2027-03"] == (25, 4, 3)
    await network.write(_awarded, "R2", 2.0)
    assert _usp(await ask())["2027-03"] == (25, 6, 5)
    # R2 withdrawn and R3 awarded: as many reservations as before, only later
    await _cancel(network, U["a1"], "R2")
    await network.write(_routed_to_a2, "R3")
    await network.write(_awarded, "R3", 3.0)
    assert _usp(await ask())["2027-03"] == (25, 7, 6)


COVERAGE = "coverage { capability firms certifiedFirms } nodes { id size } graphml"


def _row(data: dict[str, Any], code: str) -> tuple[int, int]:
    row = next(r for r in data["coverage"] if r["capability"] == code)
    return row["firms"], row["certifiedFirms"]


async def test_coverage_network_and_exports_follow_offerings_and_the_date(
    app_client: httpx.AsyncClient,
    callers: Callers,
    network: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = await park_network(app_client, callers.operator, COVERAGE)
    assert _row(before, "BIO.USP.FB") == (2, 1)
    a3 = await factories.token(network, "staff@a3.test", f"provider:{U['a3']}")
    await _mutate(app_client, a3, RETIRE, id=sample.offering_id("a3/fb"))
    retired = await park_network(app_client, callers.operator, COVERAGE)
    assert _row(retired, "BIO.USP.FB") == (1, 1)
    sizes = {n["id"]: n["size"] for n in retired["nodes"]}
    assert sizes["cap:BIO.USP.FB"] == 1
    assert f"org:{U['a3']}" in retired["graphml"]
    assert retired["graphml"] != before["graphml"]  # a3's offers edge is gone
    # on 1 January 2031 a2's certificate (valid to 2030-12-31) has expired
    monkeypatch.setattr(service, "china_today", lambda: date(2031, 1, 1))
    expired = await park_network(app_client, callers.operator, COVERAGE)
    assert _row(expired, "BIO.USP.FB") == (1, 0)


UNMET = "unmetRequests { requestId } recruit { capability unmetRequests }"


async def test_unmet_demand_follows_requests(
    app_client: httpx.AsyncClient, callers: Callers, network: Database
) -> None:
    before = await park_network(app_client, callers.operator, UNMET)
    assert {r["requestId"] for r in before["unmetRequests"]} == {"E6", "E7", "U1", "U2", "U3"}
    await _cancel(network, U["a2"], "U1")  # a status change, nothing created
    after = await park_network(app_client, callers.operator, UNMET)
    assert {r["requestId"] for r in after["unmetRequests"]} == {"E6", "E7", "U2", "U3"}
    prf = next(r for r in after["recruit"] if r["capability"] == "BIO.USP.PRF")
    assert prf["unmetRequests"] == 1
