"""The request page is live: it follows the `requestEvents` subscription over a WebSocket,
and falls back to polling when the socket cannot be opened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from playwright.async_api import WebSocket, WebSocketRoute, expect

from hub.db.driver import Database
from tests import factories
from tests.conftest import LiveHub
from tests.web.conftest import PROVIDER, STARTUP, Opener
from tests.web.test_requests import PROVIDER_NAME, submitted_by_api

MATCHES = "query($id: ID!) { request(id: $id) { matches { id providerUscc } } }"
ACCEPT = """mutation($id: ID!, $quote: QuoteInput!) { acceptMatch(id: $id, quote: $quote) {
  __typename } }"""


async def accept_by_api(live_hub: LiveHub, requester: str, provider: str, request_id: str) -> None:
    """The provider accepts its match with a quote, through the API (no browser)."""
    async with httpx.AsyncClient(base_url=live_hub.url, timeout=30) as http:
        body: dict[str, Any] = (
            await http.post(
                "/graphql",
                json={"query": MATCHES, "variables": {"id": request_id}},
                headers={"authorization": f"Bearer {requester}"},
            )
        ).json()
        match = next(m for m in body["data"]["request"]["matches"] if m["providerUscc"] == PROVIDER)
        quote = {
            "price": 1_234_000,
            "leadTimeDays": 40,
            "validUntil": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        }
        answer = (
            await http.post(
                "/graphql",
                json={"query": ACCEPT, "variables": {"id": match["id"], "quote": quote}},
                headers={"authorization": f"Bearer {provider}"},
            )
        ).json()
        assert answer["data"]["acceptMatch"]["__typename"] == "MatchAnswered", answer


async def test_request_page_updates_from_the_subscription(
    network: Database, open_console: Opener, live_hub: LiveHub
) -> None:
    startup = await factories.token(network, "cmc@startup.test", f"requester:{STARTUP}")
    provider = await factories.token(network, "bd@provider.test", f"provider:{PROVIDER}")
    request_id = await submitted_by_api(live_hub, startup)
    console = await open_console("zh")
    await console.sign_in(startup)
    page = console.page
    sockets: list[WebSocket] = []
    frames: list[str] = []

    def opened(ws: WebSocket) -> None:
        sockets.append(ws)
        ws.on("framereceived", lambda payload: frames.append(str(payload)))

    page.on("websocket", opened)
    await console.go(f"requests/{request_id}")
    live = page.locator(".live")
    await expect(live).to_have_attribute("data-mode", "subscription")
    await expect(live).to_have_text("● 实时 由服务器实时推送")
    assert [ws.url for ws in sockets] == [live_hub.url.replace("http", "ws", 1) + "/graphql"]
    assert any('"connection_ack"' in f for f in frames), frames
    await expect(page.get_by_text("尚无报价：等待服务方答复。")).to_be_visible()
    await console.shot("request-live-before")
    pushed = len(frames)

    await accept_by_api(live_hub, startup, provider, request_id)
    # No reload: the event arrives on the socket, the page refetches and shows the quote.
    quote = page.get_by_role("listitem", name=PROVIDER_NAME)
    await expect(quote).to_contain_text("1,234,000")
    await expect(page.get_by_role("button", name=f"授予 {PROVIDER_NAME}")).to_be_visible()
    assert any("match.accepted" in f for f in frames[pushed:]), frames[pushed:]
    assert len(sockets) == 1 and not sockets[0].is_closed()
    await console.shot("request-live-quote")


async def test_request_page_polls_when_the_socket_is_refused(
    network: Database, open_console: Opener, live_hub: LiveHub
) -> None:
    startup = await factories.token(network, "cmc@startup.test", f"requester:{STARTUP}")
    provider = await factories.token(network, "bd@provider.test", f"provider:{PROVIDER}")
    request_id = await submitted_by_api(live_hub, startup)
    console = await open_console("en")
    page = console.page

    async def refuse(ws: WebSocketRoute) -> None:
        await ws.close(code=1011, reason="no sockets here")

    await page.route_web_socket("**/graphql", refuse)
    await console.sign_in(startup)
    await console.go(f"requests/{request_id}")
    live = page.locator(".live")
    await expect(live).to_have_attribute("data-mode", "poll")
    await expect(live).to_have_text("Refreshed every 2 seconds")
    await accept_by_api(live_hub, startup, provider, request_id)
    await expect(
        page.get_by_role("listitem", name="E-Town Example Biologics Co. (fictional)")
    ).to_contain_text("1,234,000")
    await console.shot("request-live-polling")
