"""Several hub processes against one Neo4j: read-your-own-writes with bookmarks across
processes, `neo4j://` routing URIs, and queries that only ever read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from hub.config import Settings
from hub.db.driver import Database
from tests import factories
from tests.conftest import LiveHub
from tests.routing.common import REQUESTER
from tests.routing.test_routing_api import SUBMIT, _input

SEEN = "query($id: ID!) { request(id: $id) { id status } }"


async def _post(
    http: httpx.AsyncClient,
    url: str,
    token: str,
    query: str,
    headers: dict[str, str] | None = None,
    **variables: Any,
) -> httpx.Response:
    return await http.post(
        url + "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}", **(headers or {})},
    )


async def test_a_write_on_one_process_is_read_on_another_with_its_bookmark(
    network: Database, settings: Settings, live_hub: LiveHub, tmp_path: Path
) -> None:
    startup = await factories.token(network, "cmc@startup", f"requester:{REQUESTER}")
    routed_uri = settings.neo4j_uri.replace("bolt://", "neo4j://")
    other = LiveHub(settings, tmp_path / "other.log", HUB_NEO4J_URI=routed_uri)
    try:
        async with httpx.AsyncClient(timeout=30) as http:
            wrote = await _post(http, live_hub.url, startup, SUBMIT, i=_input())
            bookmark = wrote.headers["x-hub-bookmark"]
            request_id = wrote.json()["data"]["submitRequest"]["request"]["id"]
            read = await _post(
                http, other.url, startup, SEEN, {"x-hub-bookmark": bookmark}, id=request_id
            )
            assert read.json()["data"]["request"] == {"id": request_id, "status": "SUBMITTED"}
            assert "x-hub-bookmark" not in read.headers  # a read makes no bookmark

            forged = await _post(
                http,
                other.url,
                startup,
                SEEN,
                {"x-hub-bookmark": "FB:not-a-bookmark"},
                id=request_id,
            )
            error = forged.json()["errors"][0]
            assert error["extensions"]["field"] == "x-hub-bookmark", error
    finally:
        other.stop()


QUERIES = [
    "{ me { handle } }",
    "{ parks { code } }",
    "{ taxonomy { code children { code } } }",
    "{ organizations(first: 5) { edges { node { uscc sites { id } } } } }",
    '{ offerings(filter: {capability: "BIO"}) { edges { node { id } } } }',
    "{ expiringCertificates { id } }",
    "{ myRequests { id matches { id } nearMisses { offeringId } } }",
    "{ inbox { id } }",
    f'{{ webhookSubscriptions(uscc: "{REQUESTER}") {{ id }} }}',
    "{ auditLog { id } }",
]


@pytest.mark.parametrize("query", QUERIES)
async def test_queries_only_read(
    network: Database, app_client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    admin = await factories.token(network, "root@hub", "admin", f"requester:{REQUESTER}")

    async def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a query wrote")

    monkeypatch.setattr(Database, "write", refuse)
    response = await app_client.post(
        "/graphql", json={"query": query}, headers={"authorization": f"Bearer {admin}"}
    )
    assert "errors" not in response.json(), response.json()
