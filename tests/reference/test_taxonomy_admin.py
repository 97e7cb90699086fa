"""Admins add taxonomy nodes; nobody else can; the new node is audited and matched."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from hub.db.driver import Database, Tx
from tests import factories

ADD = """mutation($i: CapabilityInput!) { addCapability(input: $i) { __typename
  ... on CapabilityAdded { capability { code level unitCode parentCode } }
  ... on Problem { code field } } }"""
NEW = {"parent": "DP.STE", "segment": "BFS", "nameZh": "吹灌封", "nameEn": "Blow-fill-seal"}


async def _remove(tx: Tx) -> None:
    await tx.run("MATCH (c:Capability) WHERE c.code STARTS WITH 'DP.STE.BFS' DETACH DELETE c")


@pytest.fixture
async def admin(clean: Database) -> AsyncIterator[str]:
    yield await factories.token(clean, "ops@hub.test", "admin")
    await clean.write(_remove)


async def add(client: httpx.AsyncClient, token: str, **change: Any) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        headers={"authorization": f"Bearer {token}"},
        json={"query": ADD, "variables": {"i": {**NEW, **change}}},
    )
    result: dict[str, Any] = response.json()["data"]["addCapability"]
    return result


async def test_an_admin_adds_a_node_that_inherits_its_unit(
    admin: str,
    clean: Database,
    client: httpx.AsyncClient,
) -> None:
    added = await add(client, admin)
    assert added["capability"] == {
        "code": "DP.STE.BFS",
        "level": 3,
        "unitCode": "vials_hour",
        "parentCode": "DP.STE",
    }
    tree = await client.post(
        "/graphql", json={"query": '{ capability(code: "DP.STE") { children { code } } }'}
    )
    children = [c["code"] for c in tree.json()["data"]["capability"]["children"]]
    assert "DP.STE.BFS" in children
    again = await add(client, admin)
    assert (again["__typename"], again["field"]) == ("ConflictProblem", "segment")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"parent": "NOPE"}, "parent"),
        ({"segment": "x"}, "segment"),
        ({"unit": "furlongs"}, "unit"),
        ({"nameZh": ""}, "nameZh"),
    ],
)
async def test_bad_nodes_are_refused_naming_the_field(
    admin: str,
    client: httpx.AsyncClient,
    change: dict[str, Any],
    field: str,
) -> None:
    refused = await add(client, admin, **change)
    assert refused["field"] == field


async def test_others_cannot_add(clean: Database, client: httpx.AsyncClient) -> None:
    org = await factories.organization(clean, 3)
    member = await factories.token(clean, "bd@example.test", f"provider:{org}")
    refused = await add(client, member)
    assert refused["__typename"] == "NotFoundProblem"
