"""The hub serves the console itself: a redirect at /, the page, its bundle."""

from __future__ import annotations

import re

import httpx
import pytest

from hub.web.console import CONSOLE_DIR

pytestmark = pytest.mark.skipif(
    not (CONSOLE_DIR / "index.html").exists(), reason="the console is not built (`make assets`)"
)


async def test_root_redirects_to_the_console(app_client: httpx.AsyncClient) -> None:
    response = await app_client.get("/")
    assert response.status_code == 307
    assert response.headers["location"] == "/console/"


async def test_page_names_its_bundle_served_by_the_hub(app_client: httpx.AsyncClient) -> None:
    page = await app_client.get("/console/")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-cache"
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sorted(a.split("?")[0] for a in assets) == ["static/app.css", "static/app.js"]
    for asset in assets:
        response = await app_client.get("/console/" + asset)
        assert response.status_code == 200, asset
