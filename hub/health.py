"""Liveness and readiness for process managers and load balancers."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from hub.auth import DatabaseDep
from hub.db import migrations
from hub.errors import DatabaseUnavailable

router = APIRouter(tags=["health"])
PROBE_TIMEOUT_S = 2.0
APPLIED = "MATCH (m:Migration) RETURN m.id AS id"


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up (it says nothing about Neo4j)."""
    return {"status": "ok"}


@router.get("/readyz", response_model=None)
async def readyz(db: DatabaseDep) -> JSONResponse:
    """Neo4j answers and every migration is applied; otherwise 503 with Retry-After."""
    try:
        applied = {r["id"] for r in await db.probe(APPLIED, PROBE_TIMEOUT_S)}
    except DatabaseUnavailable as error:
        return _not_ready("database unavailable", error.retry_after_s)
    pending = [m.id for m in migrations.load() if m.id not in applied]
    if pending:
        return _not_ready(f"migrations pending: {', '.join(pending)}", 10)
    return JSONResponse({"status": "ready"})


def _not_ready(reason: str, retry_after_s: int) -> JSONResponse:
    return JSONResponse(
        {"status": "unavailable", "reason": reason},
        status_code=503,
        headers={"Retry-After": str(retry_after_s)},
    )
