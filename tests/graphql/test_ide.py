"""The GraphQL IDE is off by default and, when on, is served wholly by the hub (no CDN)."""

from __future__ import annotations

import re
import shutil

import httpx
import pytest

from hub.app import create_app
from hub.config import Settings
from hub.db.driver import Database
from hub.web import ide


@pytest.mark.skipif(shutil.which("npm") is None, reason="the IDE's assets are built with npm")
async def test_the_ide_page_and_its_assets_come_from_the_hub(
    settings: Settings, db: Database
) -> None:
    assert (ide.VENDOR_DIR / "graphiql.min.js").exists(), "run `make assets`"
    app = create_app(settings.model_copy(update={"graphql_ide": True}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as http:
            page = await http.get("/graphql", headers={"accept": "text/html"})
            assert page.status_code == 200
            sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
            assert len(sources) == 4
            assert all(s.startswith(ide.STATIC_PATH + "/") for s in sources)
            for source in sources:
                asset = await http.get(source)
                assert asset.status_code == 200
                assert len(asset.content) > 1000
