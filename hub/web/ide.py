"""GraphiQL served from the hub's own static files (built from npm by `make assets`).

Off by default; `HUB_GRAPHQL_IDE=true` turns it on at GET /graphql for browsers.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

from hub.security_headers import page_policy

STATIC_PATH = "/static/ide"
VENDOR_DIR = Path(__file__).parent / "static" / "vendor"

PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>Pharma hub · GraphiQL</title>
  <link rel="stylesheet" href="{static}/graphiql.min.css">
  <style>html, body, #ide {{ height: 100%; margin: 0; }}</style>
</head>
<body>
  <div id="ide"></div>
  <script src="{static}/react.production.min.js"></script>
  <script src="{static}/react-dom.production.min.js"></script>
  <script src="{static}/graphiql.min.js"></script>
  <script nonce="{nonce}">
    const fetcher = GraphiQL.createFetcher({{ url: window.location.pathname }});
    ReactDOM.createRoot(document.getElementById("ide")).render(
      React.createElement(GraphiQL, {{ fetcher, defaultEditorToolsVisibility: true }})
    );
  </script>
</body>
</html>
"""


def static_files() -> StaticFiles:
    return StaticFiles(directory=VENDOR_DIR, check_dir=False)


async def render(request: Request) -> HTMLResponse:
    if not (VENDOR_DIR / "graphiql.min.js").exists():
        return HTMLResponse("GraphiQL assets are not built: run `make assets`.", status_code=503)
    # Its one inline script runs by a nonce, new for every page (see page_policy).
    nonce = secrets.token_urlsafe(16)
    return HTMLResponse(
        PAGE.format(static=STATIC_PATH, nonce=nonce),
        headers={"content-security-policy": page_policy(nonce)},
    )
