"""A request signed in by the session cookie must prove it comes from the console: a
POST without the CSRF token (or with another session's, or from another site) is refused
and changes nothing; a GET query needs none; a Bearer token needs none; a WebSocket
signed in by cookie must come from the hub's own origin."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from hub.db.driver import Database, Tx
from tests import factories
from tests.accounts.common import CSRF, ME, SIGN_OUT_EVERYWHERE, signed_in
from tests.conftest import LiveHub

EMAIL = "qian@example.test"


async def _live_sessions(tx: Tx) -> int:
    row = await tx.single("MATCH (s:Session) WHERE s.revoked_at IS NULL RETURN count(s) AS n")
    assert row is not None
    return int(row["n"])


def _refused(response: httpx.Response) -> str:
    assert response.status_code == 403, response.text
    return str(response.json()["errors"][0]["extensions"]["code"])


async def test_a_cookie_borne_post_without_proof_is_refused(
    clean: Database, client: httpx.AsyncClient
) -> None:
    browser = await signed_in(client, clean, EMAIL)
    other = await signed_in(client, clean, "sun@example.test")
    browser.send_csrf = False
    assert _refused(await browser.post(SIGN_OUT_EVERYWHERE)) == "CSRF"
    wrong = {"x-hub-csrf": other.cookies[CSRF]}  # a real token, of another session
    assert _refused(await browser.post(SIGN_OUT_EVERYWHERE, headers=wrong)) == "CSRF"
    own = {"x-hub-csrf": browser.cookies[CSRF]}
    foreign = {**own, "origin": "https://evil.example"}
    assert _refused(await browser.post(SIGN_OUT_EVERYWHERE, headers=foreign)) == "CSRF"
    assert _refused(await browser.post(ME)) == "CSRF"  # a POST, even of a query
    assert await clean.read(_live_sessions) == 2  # nothing happened
    same_site = {**own, "origin": str(client.base_url).rstrip("/")}
    done = await browser.post(SIGN_OUT_EVERYWHERE, headers=same_site)
    assert done.json()["data"]["signOutEverywhere"] == {"sessions": 1}


async def test_a_query_over_get_needs_no_proof_and_a_mutation_over_get_is_refused(
    clean: Database, client: httpx.AsyncClient
) -> None:
    browser = await signed_in(client, clean, EMAIL)
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    read = await client.get(
        "/graphql", params={"query": "{ me { handle } }"}, headers={"cookie": cookie}
    )
    assert read.json()["data"]["me"]["handle"] == EMAIL
    write = await client.get(
        "/graphql",
        params={"query": "mutation { signOutEverywhere { sessions } }"},
        headers={"cookie": cookie},
    )
    assert write.status_code == 405
    assert await clean.read(_live_sessions) == 1


async def test_a_bearer_token_needs_no_proof_and_wins_over_the_cookie(
    clean: Database, client: httpx.AsyncClient
) -> None:
    browser = await signed_in(client, clean, EMAIL)
    browser.send_csrf = False
    token = await factories.token(clean, "robot@example.test")
    response = await browser.post(ME, headers={"authorization": f"Bearer {token}"})
    assert response.json()["data"]["me"]["handle"] == "robot@example.test"


async def _ws_me(hub: LiveHub, cookie: str, origin: str) -> str:
    async with connect(
        hub.url.replace("http", "ws") + "/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        additional_headers={"cookie": cookie},
        origin=origin,  # type: ignore[arg-type]
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 15))["type"] == "connection_ack"
        query = {"query": "query { me { handle } }"}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": query}))
        message = json.loads(await asyncio.wait_for(ws.recv(), 15))
        return str(message["payload"]["data"]["me"]["handle"])


async def test_a_websocket_signed_in_by_cookie_must_come_from_the_hub(
    clean: Database, client: httpx.AsyncClient, live_hub: LiveHub
) -> None:
    browser = await signed_in(client, clean, EMAIL)
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    assert await _ws_me(live_hub, cookie, live_hub.url) == EMAIL
    with pytest.raises(InvalidStatus) as refused:
        await _ws_me(live_hub, cookie, "https://evil.example")
    assert refused.value.response.status_code == 403
