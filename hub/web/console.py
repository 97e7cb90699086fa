"""The web console: a single page (built from web/console by `make assets`) and its files.

GET / redirects to /console/; /console/ serves the page, /console/static/ its bundle.
Everything comes from the package itself, so the console works without internet access.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from hub.security_headers import page_policy

CONSOLE_DIR = Path(__file__).parent / "static" / "console"
STATIC_PATH = "/console/static"

router = APIRouter(include_in_schema=False)


@router.get("/")
async def root() -> RedirectResponse:
    return RedirectResponse("/console/", status_code=307)


@router.get("/console")
async def console_no_slash() -> RedirectResponse:
    return RedirectResponse("/console/", status_code=307)


@router.get("/console/")
async def page() -> Response:
    index = CONSOLE_DIR / "index.html"
    if not index.exists():
        return PlainTextResponse("The console is not built: run `make assets`.", status_code=503)
    # The page names its bundle by content hash; the page itself must not be cached.
    return FileResponse(
        index, headers={"cache-control": "no-cache", "content-security-policy": page_policy()}
    )


def static_files() -> StaticFiles:
    return StaticFiles(directory=CONSOLE_DIR / "static", check_dir=False)
