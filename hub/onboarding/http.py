"""Evidence files over HTTP: a business-licence scan uploaded as the request body, and
read back by those who may see it.

    POST /evidence          the body: the file, byte for byte (as POST /import takes one)
    -> 201 {"id", "mediaType", "size", "sha256"}: give the id to registerOrganization
       or claimOrganization
    GET /evidence/<id>      the file, to its uploader, the firm's members, its verifiers
                            and admins; to anyone else 404, as if it did not exist

Refusals are the API's: 401 without credentials, 400 naming `file` when it is no PDF,
PNG or JPEG (by its first bytes), 413 naming `file` when over HUB_EVIDENCE_MAX_BYTES (by
its Content-Length, or counted as it arrives: never more than one byte past the limit is
read). The body limit in front (hub/body_limit.py) is set at twice that, as a backstop:
a body beyond it is refused there, with the API's plain 413.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from hub.auth import CurrentPrincipal, DatabaseDep
from hub.config import Settings
from hub.errors import NotAuthenticated, NotFound
from hub.onboarding import evidence as files
from hub.onboarding import service

PATH = "/evidence"

router = APIRouter()


class Missing(NotFound):
    """Over plain HTTP a file the caller may not read is a 404, as one that does not exist."""

    http_status = 404


async def _bounded_body(request: Request, most: int) -> bytes:
    """The body, read until one byte past `most` at the latest."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > most:
        raise files.too_large(most)
    parts: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        parts.append(chunk)
        size += len(chunk)
        if size > most:
            raise files.too_large(most)
    return b"".join(parts)


@router.post(PATH, status_code=201)
async def upload(request: Request, principal: CurrentPrincipal, db: DatabaseDep) -> JSONResponse:
    if principal.is_anonymous:
        raise NotAuthenticated
    settings: Settings = request.app.state.settings
    most = settings.evidence_max_bytes
    data = await _bounded_body(request, most)
    stored = await service.upload_evidence(db, principal, settings.evidence_store, data, most)
    body = {
        "id": stored.id,
        "mediaType": stored.media_type,
        "size": stored.size,
        "sha256": stored.sha256,
    }
    return JSONResponse(body, status_code=201)


@router.get(PATH + "/{evidence_id}")
async def download(
    evidence_id: str, request: Request, principal: CurrentPrincipal, db: DatabaseDep
) -> Response:
    settings: Settings = request.app.state.settings
    try:
        found, data = await service.read_evidence(
            db, principal, settings.evidence_store, evidence_id
        )
    except NotFound as missing:
        raise Missing(missing.message_en, missing.message_zh, field="id") from None
    return Response(
        data,
        media_type=found.media_type,
        headers={
            "Cache-Control": "private, no-store",
            "Content-Disposition": f'attachment; filename="evidence-{found.id}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
