"""Download routes: `GET /network/network.graphml|network.json|<table>.csv` with the same
query as `parkNetwork` (parks, region, branch, kinds, start, end) and the same token.

For desktop tools that open a URL (Gephi, Cytoscape, Excel). Errors are the hub's:
401 without a token, 404 for a park the caller does not operate, 400 naming the field.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from hub.auth import CurrentPrincipal, DatabaseDep
from hub.errors import HubError, InvalidInput, NotFound
from hub.network.service import TABLES, open_reader
from hub.reference import store as reference_store
from hub.reference.model import Region
from hub.registry.model import OrgKind

router = APIRouter()

MEDIA = {
    "graphml": "application/graphml+xml; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}


def _what(filename: str) -> tuple[str, str]:
    name, _, extension = filename.rpartition(".")
    valid = (name == "network" and extension in ("graphml", "json")) or (
        name in TABLES and extension == "csv"
    )
    if not valid:
        raise NotFound(
            f"no export {filename!r}: use network.graphml, network.json or <table>.csv "
            f"({', '.join(TABLES)})",
            f"没有导出 {filename!r}：可用 network.graphml、network.json 或 <表>.csv",
            field="filename",
        )
    return name, extension


def _problem(error: HubError) -> JSONResponse:
    status = error.http_status or (404 if isinstance(error, NotFound) else 400)
    body = {
        "code": error.code,
        "field": error.field,
        "messageZh": error.message_zh,
        "messageEn": error.message_en,
    }
    return JSONResponse(body, status_code=status, headers=error.http_headers())


@router.get("/network/{filename}")
async def download(
    filename: str,
    principal: CurrentPrincipal,
    db: DatabaseDep,
    parks: Annotated[list[str] | None, Query()] = None,
    region: Region | None = None,
    branch: str | None = None,
    kinds: Annotated[list[OrgKind] | None, Query()] = None,
    start: date | None = None,
    end: date | None = None,
) -> Response:
    try:
        name, extension = _what(filename)
        every_park = {p.code: p for p in await db.read(reference_store.parks, None)}
        reader = await open_reader(
            db,
            principal,
            every_park,
            await db.read(reference_store.taxonomy),
            parks=parks,
            region=region,
            branch=branch,
            kinds=kinds or (),
            start=start,
            end=end,
        )
        if extension == "csv":
            body = await reader.csv(name)
        elif extension == "graphml":
            body = await reader.graphml(with_figures=True)
        else:
            body = await reader.json_text(with_figures=True)
    except (InvalidInput, NotFound) as error:
        return _problem(error)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=MEDIA[extension], headers=headers)
