"""The hand-built network, tokens of its park operators, and a GraphQL helper."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from hub.db.driver import Database
from hub.network.cache import forget
from tests import factories
from tests.network import sample

NETWORK = """query($scope: NetworkScopeInput, $filter: NetworkFilterInput) {
  parkNetwork(scope: $scope, filter: $filter) { %s } }"""


@dataclass(frozen=True)
class Callers:
    operator: str  # operator of park A
    operator_b: str  # operator of park B
    admin: str
    provider: str  # a member of a2, no park role


@pytest.fixture
async def network(clean: Database) -> Database:
    await sample.build(clean)
    forget()
    return clean


@pytest.fixture
async def callers(network: Database) -> Callers:
    return Callers(
        operator=await factories.token(network, "ops-a@park.test", f"operator:{sample.A}"),
        operator_b=await factories.token(network, "ops-b@park.test", f"operator:{sample.B}"),
        admin=await factories.token(network, "admin@hub.test", "admin"),
        provider=await factories.token(network, "staff@a2.test", f"provider:{sample.USCC['a2']}"),
    )


async def ask(
    client: httpx.AsyncClient, token: str | None, fields: str, **variables: Any
) -> dict[str, Any]:
    """The whole GraphQL answer (data and errors) of a parkNetwork query."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql", json={"query": NETWORK % fields, "variables": variables}, headers=headers
    )
    body: dict[str, Any] = response.json()
    return body


async def park_network(
    client: httpx.AsyncClient, token: str, fields: str, **variables: Any
) -> dict[str, Any]:
    body = await ask(client, token, fields, **variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]["parkNetwork"]
    return data
