"""A request's events as its requester hears them, read from the outbox: the source the
GraphQL subscription streams from, so it works the same with several hub processes."""

from __future__ import annotations

from typing import Any, LiteralString

from hub.db.driver import Tx

SINCE: LiteralString = """
MATCH (r:Request {id: $request})
OPTIONAL MATCH (e:OutboxEvent {request_id: $request, uscc: r.requester}) WHERE e.seq > $after
WITH r, e ORDER BY e.seq
RETURN r.status AS status,
       [x IN collect(e) | x {.id, .seq, .type, .match_id, .data, .at}] AS events
"""


async def since(tx: Tx, request_id: str, after: int) -> tuple[str, list[dict[str, Any]]]:
    """The request's status now, and its requester's events after sequence `after`."""
    row = await tx.single(SINCE, request=request_id, after=after)
    if row is None:
        return "", []
    return row["status"], [dict(e) for e in row["events"]]
