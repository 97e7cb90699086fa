"""`/metrics`: the Prometheus text format, for a scraper on the operators' network.

It tells nothing about firms (no names, prices or requests); still, it answers only the
scraper: a caller must send `Authorization: Bearer <HUB_METRICS_TOKEN>` (Prometheus'
`authorization` setting). Without that setting the app's port serves no metrics (404).
"""

from __future__ import annotations

import contextlib
import secrets

from fastapi import APIRouter, Request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.responses import PlainTextResponse, Response

from hub import metrics
from hub.db.driver import Database, Tx
from hub.errors import DatabaseUnavailable

BACKLOG = """
MATCH (s:WebhookSubscription {active: true})
MATCH (stream:EventStream {uscc: s.uscc})
RETURN sum(stream.seq - s.cursor) AS backlog
"""


async def _backlog(tx: Tx) -> int:
    row = await tx.single(BACKLOG)
    return int(row["backlog"] or 0) if row else 0


router = APIRouter()


@router.get("/metrics", include_in_schema=False)
async def scrape(request: Request) -> Response:
    token = request.app.state.settings.metrics_token
    if token is None:
        return PlainTextResponse("Not found", status_code=404)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    expected = token.get_secret_value().encode()
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), expected):
        return PlainTextResponse(
            "Send the metrics token", status_code=401, headers={"WWW-Authenticate": "Bearer"}
        )
    database: Database = request.app.state.database
    # Neo4j down: the last figure stays; hub_neo4j_unavailable_total tells why.
    with contextlib.suppress(DatabaseUnavailable):
        metrics.OUTBOX_BACKLOG.set(await database.read(_backlog))
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
