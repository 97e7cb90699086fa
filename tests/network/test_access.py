"""Who sees which park network: operators their own parks, admins all, others nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hub.db.driver import Database, Tx
from tests.network import sample
from tests.network.conftest import Callers, ask, park_network


def error_of(body: dict[str, Any]) -> dict[str, Any]:
    assert body["data"] is None, body
    extensions: dict[str, Any] = body["errors"][0]["extensions"]
    return extensions


async def test_anonymous_callers_must_sign_in(
    app_client: httpx.AsyncClient, network: object
) -> None:
    response = await app_client.post("/graphql", json={"query": "{ parkNetwork { parks } }"})
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_operator_sees_its_own_park_by_default(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    assert (await park_network(app_client, callers.operator, "parks"))["parks"] == [sample.A]
    data = await park_network(app_client, callers.operator_b, "parks nodes { key external }")
    assert data["parks"] == [sample.B]
    members = {n["key"] for n in data["nodes"] if not n["external"]}
    assert sample.USCC["b1"] in members and sample.USCC["a1"] not in members


@pytest.mark.parametrize(
    ("scope", "field"),
    [
        ({"parks": [sample.B]}, "scope.parks"),
        ({"parks": [sample.A, sample.B]}, "scope.parks"),
        ({"parks": ["NO-SUCH-PARK"]}, "scope.parks"),
        ({"region": "TIANJIN"}, "scope.region"),
    ],
)
async def test_another_park_looks_missing_to_an_operator(
    app_client: httpx.AsyncClient, callers: Callers, scope: dict[str, Any], field: str
) -> None:
    extensions = error_of(await ask(app_client, callers.operator, "parks", scope=scope))
    assert extensions["code"] == "NOT_FOUND" and extensions["field"] == field
    assert extensions["messageZh"] and extensions["messageEn"]


async def test_members_of_firms_see_no_park_network(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    extensions = error_of(await ask(app_client, callers.provider, "parks"))
    assert extensions["code"] == "NOT_FOUND"


async def test_admins_see_any_park_or_region(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    beijing = await park_network(app_client, callers.admin, "parks", scope={"region": "BEIJING"})
    assert len(beijing["parks"]) == 7 and sample.A in beijing["parks"]
    both = await park_network(
        app_client, callers.admin, "parks", scope={"parks": [sample.B, sample.A]}
    )
    assert both["parks"] == sorted([sample.A, sample.B])
    assert len((await park_network(app_client, callers.admin, "parks"))["parks"]) == 12


@pytest.mark.parametrize(
    ("filter_", "field"),
    [
        ({"branch": "NOPE"}, "filter.branch"),
        ({"start": "2027-02-01", "end": "2027-01-01"}, "filter.end"),
        ({"start": "2020-01-01", "end": "2027-01-01"}, "filter.end"),
    ],
)
async def test_bad_filters_name_the_field(
    app_client: httpx.AsyncClient, callers: Callers, filter_: dict[str, Any], field: str
) -> None:
    extensions = error_of(await ask(app_client, callers.operator, "parks", filter=filter_))
    assert extensions["code"] == "INVALID_INPUT" and extensions["field"] == field


async def test_operators_get_aggregates_never_prices(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    data = await park_network(app_client, callers.operator, "edges { value } json")
    assert all(e["value"] is None for e in data["edges"])
    assert all(e["data"]["value"] is None for e in data["json"]["elements"]["edges"])


async def _confidential(tx: Tx) -> None:
    await tx.run("MATCH (r:Request {id: 'E4'}) SET r.confidential = true")


async def test_confidential_engagements_are_drawn_for_admins_only(
    app_client: httpx.AsyncClient, callers: Callers, network: Database
) -> None:
    await network.write(_confidential)  # E4: a1 -> a3
    a1_a3 = frozenset((f"org:{sample.USCC['a1']}", f"org:{sample.USCC['a3']}"))
    fields = "engagements edges { source target } figures { nodes { uscc degree } }"
    seen = {}
    for who, token in (("operator", callers.operator), ("admin", callers.admin)):
        data = await park_network(app_client, token, fields, scope={"parks": [sample.A]})
        pairs = {frozenset((e["source"], e["target"])) for e in data["edges"]}
        degree = {n["uscc"]: n["degree"] for n in data["figures"]["nodes"]}
        seen[who] = (data["engagements"], a1_a3 in pairs, degree[sample.USCC["a1"]])
    assert seen == {"operator": (6, False, 2), "admin": (7, True, 3)}
