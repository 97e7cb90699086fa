"""What browsers are told: security headers on every answer, CORS for the configured
origins only (HTTP and WebSocket), and plain OPTIONS answered with the real methods."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from hub.app import create_app
from hub.config import Settings
from tests.conftest import LiveHub

DASHBOARD = "https://dash.example.cn"
PARKS = {"query": "{ parks { code } }"}
PREFLIGHT = {
    "access-control-request-method": "POST",
    "access-control-request-headers": "authorization,content-type",
}


@pytest.fixture
async def open_to_dashboard(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"cors_origins": [DASHBOARD]}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            yield client


async def test_the_console_page_allows_only_its_own_scripts(app_client: httpx.AsyncClient) -> None:
    response = await app_client.get("/console/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    script_src = next(part for part in policy.split(";") if "script-src" in part)
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_api_answers_allow_no_document_at_all(app_client: httpx.AsyncClient) -> None:
    for response in (
        await app_client.post("/graphql", json=PARKS),
        await app_client.get("/healthz"),
        await app_client.post(
            "/graphql", content=b"not json", headers={"content-type": "application/json"}
        ),
    ):
        assert response.headers["content-security-policy"].startswith("default-src 'none'")
        assert response.headers["x-content-type-options"] == "nosniff"


async def test_a_preflight_from_a_configured_origin_is_answered(
    open_to_dashboard: httpx.AsyncClient,
) -> None:
    response = await open_to_dashboard.options(
        "/graphql", headers={"origin": DASHBOARD, **PREFLIGHT}
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == DASHBOARD
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "authorization" in response.headers["access-control-allow-headers"].lower()
    answer = await open_to_dashboard.post("/graphql", json=PARKS, headers={"origin": DASHBOARD})
    assert answer.headers["access-control-allow-origin"] == DASHBOARD
    assert "x-request-id" in answer.headers["access-control-expose-headers"].lower()


async def test_other_origins_get_no_cors(open_to_dashboard: httpx.AsyncClient) -> None:
    evil = "https://evil.example"
    response = await open_to_dashboard.options("/graphql", headers={"origin": evil, **PREFLIGHT})
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
    answer = await open_to_dashboard.post("/graphql", json=PARKS, headers={"origin": evil})
    assert "access-control-allow-origin" not in answer.headers


async def test_without_configuration_no_origin_is_allowed_and_options_names_post(
    app_client: httpx.AsyncClient,
) -> None:
    preflight = await app_client.options("/graphql", headers={"origin": DASHBOARD, **PREFLIGHT})
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    plain = await app_client.options("/graphql")
    assert plain.status_code == 204
    assert "POST" in plain.headers["allow"]


@pytest.fixture(scope="module")
def dashboard_hub(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveHub]:
    hub = LiveHub(settings, tmp_path_factory.mktemp("cors") / "hub.log", HUB_CORS_ORIGINS=DASHBOARD)
    yield hub
    hub.stop()


async def _acknowledged(hub: LiveHub, origin: str | None) -> bool:
    """Whether a graphql-transport-ws connection sent with this Origin is acknowledged."""
    url = hub.url.replace("http", "ws") + "/graphql"
    try:
        async with connect(url, subprotocols=["graphql-transport-ws"], origin=origin) as ws:  # type: ignore[arg-type]
            await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            return bool(json.loads(await ws.recv())["type"] == "connection_ack")
    except (InvalidStatus, ConnectionClosed):
        return False


async def test_a_websocket_from_another_origin_is_refused(dashboard_hub: LiveHub) -> None:
    assert await _acknowledged(dashboard_hub, None)  # not a browser
    assert await _acknowledged(dashboard_hub, DASHBOARD)
    assert await _acknowledged(dashboard_hub, dashboard_hub.url)  # the console's own page
    assert not await _acknowledged(dashboard_hub, "https://evil.example")
    assert not await _acknowledged(dashboard_hub, "http://127.0.0.1:1")
