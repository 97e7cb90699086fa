"""Offering search: each filter alone excludes what does not fit."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hub.db.driver import Database, Tx
from hub.fit.summary import refresh_all
from tests import factories
from tests.registry import sample
from tests.registry.test_registry_api import bearer

SEARCH = """query($f: OfferingSearchInput!) { offerings(filter: $f) {
  edges { node { id } distanceKm minFree } } }"""
OFFERING = f"{sample.USCC}/yz-1/mab-usp"
WINDOW = {"start": "2027-01-04", "end": "2027-01-31"}  # four weeks of published capacity


@pytest.fixture
async def token(clean: Database) -> str:
    await sample.load(clean, capacity_weeks=4)
    requester = await factories.organization(clean, 5)
    return await factories.token(clean, "cmc@startup.test", f"requester:{requester}")


async def found(client: httpx.AsyncClient, token: str | None, **f: Any) -> list[dict[str, Any]]:
    response = await client.post(
        "/graphql",
        json={"query": SEARCH, "variables": {"f": f}},
        headers=bearer(token) if token else {},
    )
    body = response.json()
    assert "errors" not in body, body
    return [
        {"id": e["node"]["id"], **{k: v for k, v in e.items() if k != "node"}}
        for e in body["data"]["offerings"]["edges"]
    ]


async def ids(client: httpx.AsyncClient, token: str | None, **f: Any) -> list[str]:
    return [e["id"] for e in await found(client, token, **f)]


@pytest.mark.parametrize(
    ("code", "hit"),
    [
        ("BIO", True),
        ("BIO.USP", True),
        ("BIO.USP.FB", True),
        ("BIO.USP.PRF", False),
        ("DP", False),
    ],
)
async def test_capability_matches_by_subsumption(
    client: httpx.AsyncClient, token: str, code: str, hit: bool
) -> None:
    assert (await ids(client, token, capability=code) == [OFFERING]) is hit


async def test_place_filters(client: httpx.AsyncClient, token: str) -> None:
    assert await ids(client, token, capability="BIO", parks=["BJ-ETOWN"]) == [OFFERING]
    assert await ids(client, token, capability="BIO", parks=["TJ-TEDA"]) == []
    assert await ids(client, token, capability="BIO", region="BEIJING") == [OFFERING]
    assert await ids(client, token, capability="BIO", region="HEBEI") == []
    near = await found(
        client, token, capability="BIO", near={"lat": 39.90, "lon": 116.40, "km": 30}
    )  # Tiananmen
    assert [e["id"] for e in near] == [OFFERING]
    assert 14 < near[0]["distanceKm"] < 17
    assert (
        await ids(client, token, capability="BIO", near={"lat": 39.03, "lon": 117.71, "km": 30})
        == []
    )  # TEDA


async def test_scale_and_grade(client: httpx.AsyncClient, token: str) -> None:
    assert await ids(client, token, capability="BIO", quantity=2000) == [OFFERING]
    assert await ids(client, token, capability="BIO", quantity=5000) == []  # above 4000
    assert await ids(client, token, capability="BIO", quantity=100) == []  # below 200
    assert await ids(client, token, capability="BIO", gmpGrade="NON_GMP") == [OFFERING]
    assert await ids(client, token, capability="BIO", gmpGrade="GMP_CLINICAL") == [OFFERING]
    assert await ids(client, token, capability="BIO", gmpGrade="GMP_COMMERCIAL") == []
    assert await ids(client, token, capability="BIO", gmpGrade="GLP") == []


async def test_certificates_must_cover_the_whole_window(
    client: httpx.AsyncClient, token: str
) -> None:
    # The sample's NMPA licence covers BIO.USP at yz-1 from 2025-01-01 to 2029-12-31.
    ok = {"capability": "BIO.USP", "authorities": ["NMPA_LICENCE"]}
    assert await ids(client, token, **ok, **WINDOW) == [OFFERING]
    assert await ids(client, token, **ok, start="2029-12-01", end="2030-01-31") == []
    assert await ids(client, token, **ok, start="2024-12-01", end="2025-01-31") == []
    both = {**ok, "authorities": ["NMPA_LICENCE", "EU_GMP"]}
    assert await ids(client, token, **both, **WINDOW) == []


async def _reserve(tx: Tx, amount: float) -> None:
    await tx.run("MATCH (b:CapacityBucket) WHERE b.start.week = 2 SET b.reserved = $a", a=amount)
    await refresh_all(tx)  # reservations go through hub.routing.store, which refreshes


async def test_spare_capacity_in_every_period_of_the_window(
    clean: Database,
    client: httpx.AsyncClient,
    token: str,
) -> None:
    spare = {"capability": "BIO", "spare": 3000, **WINDOW}
    [hit] = await found(client, token, **spare)
    assert (hit["id"], hit["minFree"]) == (OFFERING, 4000)
    await clean.write(_reserve, 1500.0)  # week 2 now has 2,500 free
    assert await ids(client, token, **spare) == []
    assert await ids(client, token, **{**spare, "spare": 2500}) == [OFFERING]
    # A window reaching past the published weeks has a gap: not covered.
    assert (
        await ids(client, token, capability="BIO", spare=100, start="2027-01-04", end="2027-02-28")
        == []
    )


async def test_spare_capacity_needs_a_signed_in_caller(
    client: httpx.AsyncClient, token: str
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": SEARCH, "variables": {"f": {"capability": "BIO", "spare": 10, **WINDOW}}},
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("f", "field"),
    [
        ({"capability": "XYZ"}, "capability"),
        ({"capability": "BIO", "start": "2027-02-01", "end": "2027-01-01"}, "end"),
        ({"capability": "BIO", "start": "2027-02-01"}, "end"),
        ({"capability": "BIO", "spare": 10}, "start"),
        ({"capability": "BIO", "spare": -1, **WINDOW}, "spare"),
        ({"capability": "BIO", "quantity": 0}, "quantity"),
        ({"capability": "BIO", "near": {"lat": 39, "lon": 116, "km": -3}}, "near.km"),
    ],
)
async def test_bad_search_input_names_the_field(
    client: httpx.AsyncClient, token: str, f: dict[str, Any], field: str
) -> None:
    response = await client.post(
        "/graphql", json={"query": SEARCH, "variables": {"f": f}}, headers=bearer(token)
    )
    extensions = response.json()["errors"][0]["extensions"]
    assert (extensions["code"], extensions["field"]) == ("INVALID_INPUT", field)
