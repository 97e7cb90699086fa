"""The requester watches its request over graphql-transport-ws: first what already
happened, then each change live, and the stream ends when the request closes, or the
socket closes once the watcher's token is revoked or expires."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from hub.db.driver import Database, Tx
from hub.identity import service as identity
from hub.identity.model import Role
from tests import factories
from tests.conftest import LiveHub
from tests.registry import sample
from tests.routing.common import REQUESTER
from tests.routing.test_routing_api import ROUTE, SUBMIT, _input, gql

WATCH = """subscription($id: ID!) { requestEvents(id: $id) {
  sequence type requestId matchId status data } }"""
CANCEL = "mutation($id: ID!) { cancelRequest(id: $id) { __typename } }"


async def _open(hub: LiveHub, token: str | None) -> ClientConnection:
    ws = await connect(
        hub.url.replace("http", "ws") + "/graphql", subprotocols=["graphql-transport-ws"]
    )
    payload = {} if token is None else {"Authorization": f"Bearer {token}"}
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    return ws


async def _next(ws: ClientConnection) -> dict[str, Any]:
    frame = await asyncio.wait_for(ws.recv(), timeout=15)
    # graphql-transport-ws is text: a browser's client drops binary frames
    assert isinstance(frame, str), f"a binary frame: {frame[:80]!r}"
    message: dict[str, Any] = json.loads(frame)
    return message


async def _watch(ws: ClientConnection, request_id: str) -> None:
    assert (await _next(ws))["type"] == "connection_ack"
    query = {"query": WATCH, "variables": {"id": request_id}}
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": query}))


async def test_the_requester_sees_its_request_routed_live_until_it_closes(
    network: Database, client: httpx.AsyncClient, live_hub: LiveHub
) -> None:
    startup = await factories.token(network, "cmc@startup", f"requester:{REQUESTER}")
    submitted = await gql(client, startup, SUBMIT, i=_input())
    request_id = submitted["submitRequest"]["request"]["id"]

    ws = await _open(live_hub, startup)
    try:
        await _watch(ws, request_id)
        first = (await _next(ws))["payload"]["data"]["requestEvents"]
        assert (first["type"], first["status"]) == ("request.submitted", "SUBMITTED")

        await gql(client, startup, ROUTE, id=request_id)  # a change made while watching
        routed = (await _next(ws))["payload"]["data"]["requestEvents"]
        assert routed["type"] == "request.routed" and routed["sequence"] > first["sequence"]
        assert sample.USCC in routed["data"]["routedTo"]

        await gql(client, startup, CANCEL, id=request_id)
        cancelled = (await _next(ws))["payload"]["data"]["requestEvents"]
        assert (cancelled["type"], cancelled["status"]) == ("request.cancelled", "CANCELLED")
        assert (await _next(ws)) == {"id": "1", "type": "complete"}
    finally:
        await ws.close()


async def test_nobody_else_can_watch_it(
    network: Database, client: httpx.AsyncClient, live_hub: LiveHub
) -> None:
    startup = await factories.token(network, "cmc@startup", f"requester:{REQUESTER}")
    provider = await factories.token(network, "sales@cdmo", f"provider:{sample.USCC}")
    submitted = await gql(client, startup, SUBMIT, i=_input())
    request_id = submitted["submitRequest"]["request"]["id"]
    await gql(client, startup, ROUTE, id=request_id)  # routed to the provider, still not its own

    for token, code in ((provider, "NOT_FOUND"), (None, "UNAUTHENTICATED")):
        ws = await _open(live_hub, token)
        try:
            await _watch(ws, request_id)
            answer = await _next(ws)
            assert answer["type"] == "next" and answer["payload"]["data"] is None, answer
            assert answer["payload"]["errors"][0]["extensions"]["code"] == code
        finally:
            await ws.close()

    ws = await connect(
        live_hub.url.replace("http", "ws") + "/graphql", subprotocols=["graphql-transport-ws"]
    )
    await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer x"}}))
    with pytest.raises(ConnectionClosed) as closed:
        await _next(ws)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def _expire(tx: Tx, token_id: str) -> None:
    """The token's expiry passes (set in the past rather than waited for)."""
    await tx.run(
        "MATCH (t:ApiToken {id: $id}) SET t.expires_at = datetime() - duration('PT1S')",
        id=token_id,
    )


@pytest.mark.parametrize("ending", ["revoked", "expired"])
async def test_the_socket_closes_once_the_watchers_token_is_revoked_or_expires(
    network: Database, client: httpx.AsyncClient, live_hub: LiveHub, ending: str
) -> None:
    role = frozenset({Role.parse(f"requester:{REQUESTER}")})
    watching, token = await identity.issue_token(network, "cmc@startup", role, "watch", None)
    colleague = await factories.token(network, "ops@startup", f"requester:{REQUESTER}")
    submitted = await gql(client, watching, SUBMIT, i=_input())
    request_id = submitted["submitRequest"]["request"]["id"]

    ws = await _open(live_hub, watching)
    try:
        await _watch(ws, request_id)
        first = (await _next(ws))["payload"]["data"]["requestEvents"]
        assert first["type"] == "request.submitted"
        if ending == "revoked":
            await identity.revoke_token(network, token.id)
        else:
            await network.write(_expire, token.id)
        await gql(client, colleague, ROUTE, id=request_id)  # a change after the token ended
        with pytest.raises(ConnectionClosed) as closed:
            await _next(ws)  # (the routed event, before the fix)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
    finally:
        await ws.close()
