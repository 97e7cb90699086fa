"""Routing's writes, run by its use cases: requests, matches and reservations.

Status changes lock the request first (`SET r._lock`), then capacity buckets in id
order, so concurrent awards serialize and cannot deadlock, and a check made after taking
a lock sees the latest committed value. Reserving and releasing refresh the fit summaries
of the offerings concerned (hub.fit.summary) in the same query."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, LiteralString

from hub.db.driver import Tx
from hub.fit.summary import REFRESH
from hub.routing.model import Assessment, MatchState, Request, RequestState
from hub.routing.store import rows, track_record

CREATE_REQUEST: LiteralString = """
MATCH (o:Organization {uscc: $requester}), (c:Capability {code: $capability})
CREATE (r:Request {id: randomUUID(), status: 'submitted', created_at: datetime()})
SET r += $props
CREATE (o)-[:REQUESTED]->(r), (r)-[:NEEDS]->(c)
RETURN r.id AS id
"""

LOCK_REQUEST: LiteralString = """
MATCH (r:Request {id: $id})
SET r._lock = true
RETURN r {.*} AS request,
       [(r)<-[:FOR]-(m:Match) | m {.*, past_deadline: m.deadline < datetime()}] AS matches
"""

# The request's new status (unless null) and its new matches (in provider USCC order, so
# the providers' track records are locked in that order), in one query.
ROUTE_TO: LiteralString = (
    """
MATCH (r:Request {id: $request})
SET r.status = coalesce($status, r.status),
    r.updated_at = CASE WHEN $status IS NULL THEN r.updated_at ELSE datetime() END
WITH r
UNWIND $matches AS m
MATCH (f:Offering {id: m.offering_id})<-[:OFFERS]-(:Site)<-[:HAS_SITE]-(p:Organization)
CREATE (x:Match {id: randomUUID(), request_id: r.id, status: 'routed', routed_at: datetime(),
                 deadline: datetime() + duration({hours: $respond_within_h})})
SET x += m
CREATE (x)-[:FOR]->(r), (x)-[:TO]->(f), (x)-[:ROUTED_TO]->(p)"""
    + track_record.ROUTED
)

SET_REQUEST_STATUS: LiteralString = """
MATCH (r:Request {id: $id})
SET r.status = $status, r.updated_at = datetime()
"""

LOCK_MATCH: LiteralString = """
MATCH (m:Match {id: $id})-[:FOR]->(r:Request)
SET r._lock = true, m._lock = true
RETURN m {.*, past_deadline: m.deadline < datetime()} AS match, r {.*} AS request
"""

RESPOND: LiteralString = (
    """
MATCH (m:Match {id: $id})
SET m += $answer, m.responded_at = datetime()"""
    + track_record.ANSWERED
)

LOCK_BUCKETS: LiteralString = """
MATCH (b:CapacityBucket {owner_id: $owner})
WHERE b.start < $to AND b.end > $from
WITH b ORDER BY b.id
SET b._lock = true
RETURN b {.id, .start, .end, .total, .reserved} AS bucket
"""

RESERVE: LiteralString = (
    """
MATCH (r:Request {id: $request}), (winner:Match {id: $match})-[:ROUTED_TO]->(p:Organization)
CALL (r) {
  UNWIND $buckets AS id
  MATCH (b:CapacityBucket {id: id})
  SET b.reserved = b.reserved + $quantity
  CREATE (r)-[:RESERVES {quantity: $quantity}]->(b)
}
SET r.status = 'awarded', r.provider = p.uscc, r.awarded_at = datetime(),
    winner.status = 'awarded'
CREATE (r)-[:AWARDED_TO]->(p)
WITH r
CALL (r) {
  MATCH (r)<-[:FOR]-(other:Match) WHERE other.status IN ['routed', 'accepted']
  SET other.status = 'closed'
}
OPTIONAL MATCH (f:Offering {id: $offering})
WITH collect(f) AS offerings
"""
    + REFRESH
)

RELEASE: LiteralString = (
    """
MATCH (r:Request {id: $request})-[hold:RESERVES]->(b:CapacityBucket)
WITH r, hold, b ORDER BY b.id
SET b.reserved = b.reserved - hold.quantity
DELETE hold
WITH collect(DISTINCT b.owner_id) AS owners
OPTIONAL MATCH (f:Offering) WHERE f.id IN owners
WITH collect(f) AS offerings
"""
    + REFRESH
)

CLOSE_MATCHES: LiteralString = """
MATCH (:Request {id: $request})<-[:FOR]-(m:Match)
WHERE m.status IN ['routed', 'accepted', 'awarded']
SET m.status = 'closed'
"""

COMPLETE: LiteralString = (
    """
MATCH (r:Request {id: $request})
SET r.status = 'completed', r.completed_at = datetime(), r += $outcome"""
    + track_record.COMPLETED
)

OVERDUE: LiteralString = """
MATCH (m:Match {status: 'routed'}) WHERE m.deadline < $now
RETURN DISTINCT m.request_id AS request ORDER BY request LIMIT $limit
"""

EXPIRE: LiteralString = """
MATCH (:Request {id: $request})<-[:FOR]-(m:Match {status: 'routed'})
WHERE m.deadline < datetime()
SET m.status = 'expired'
RETURN m.id AS id, m.uscc AS uscc
"""


async def create_request(tx: Tx, requester: str, capability: str, props: dict[str, Any]) -> str:
    row = await tx.single(CREATE_REQUEST, requester=requester, capability=capability, props=props)
    assert row is not None
    return str(row["id"])


async def lock_request(tx: Tx, request_id: str) -> tuple[Request, list[MatchState]] | None:
    """Lock the request (for a route or an award: its need is read too); None if missing."""
    row = await tx.single(LOCK_REQUEST, id=request_id)
    if row is None:
        return None
    return rows.request(row["request"]), [rows.match_state(m) for m in row["matches"]]


async def lock_request_state(
    tx: Tx, request_id: str
) -> tuple[RequestState, list[MatchState]] | None:
    """Lock the request for a status change that reads no more than its state."""
    row = await tx.single(LOCK_REQUEST, id=request_id)
    if row is None:
        return None
    return rows.request_state(row["request"]), [rows.match_state(m) for m in row["matches"]]


async def route_to(
    tx: Tx,
    request_id: str,
    chosen: list[Assessment],
    first_rank: int,
    status: str | None,
    respond_within_h: int,
) -> None:
    """Create the request's new matches, ranked from `first_rank` on, and set its status
    (None: unchanged)."""
    matches = [_match_props(first_rank + i, a) for i, a in enumerate(chosen)]
    await tx.run(
        ROUTE_TO,
        request=request_id,
        matches=sorted(matches, key=lambda m: str(m["uscc"])),
        status=status,
        respond_within_h=respond_within_h,
    )


def _match_props(rank: int, found: Assessment) -> dict[str, Any]:
    return {
        "offering_id": found.offering_id,
        "uscc": found.uscc,
        "rank": rank,
        "score": found.total,
        "min_free": found.min_free,
        "distance_km": found.distance_km,
        "score_parts": _as_json([p.__dict__ for p in found.score]),
        "evidence": _as_json(found.evidence.__dict__),
    }


def _as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


async def set_request_status(tx: Tx, request_id: str, status: str) -> None:
    await tx.run(SET_REQUEST_STATUS, id=request_id, status=status)


async def lock_match(tx: Tx, match_id: str) -> tuple[MatchState, RequestState] | None:
    """Lock the match and its request; None if missing."""
    row = await tx.single(LOCK_MATCH, id=match_id)
    if row is None:
        return None
    return rows.match_state(row["match"]), rows.request_state(row["request"])


async def respond(tx: Tx, match_id: str, answer: dict[str, Any]) -> None:
    await tx.run(RESPOND, id=match_id, answer=answer)


async def lock_buckets(tx: Tx, owner: str, start: datetime, end: datetime) -> list[str]:
    """Lock the owner's capacity buckets that overlap the window, in id order; their ids."""
    found = await tx.records(LOCK_BUCKETS, owner=owner, **{"from": start, "to": end})
    return [r["bucket"]["id"] for r in found]


async def reserve(
    tx: Tx, request_id: str, match_id: str, offering_id: str, bucket_ids: list[str], quantity: float
) -> None:
    """Reserve the quantity in each bucket (already locked) and refresh the offering's fit."""
    await tx.run(
        RESERVE,
        request=request_id,
        match=match_id,
        offering=offering_id,
        buckets=bucket_ids,
        quantity=quantity,
    )


async def release(tx: Tx, request_id: str) -> None:
    await tx.run(RELEASE, request=request_id)
    await tx.run(CLOSE_MATCHES, request=request_id)


async def complete(tx: Tx, request_id: str, outcome: dict[str, Any]) -> None:
    await tx.run(COMPLETE, request=request_id, outcome=outcome)


async def overdue_requests(tx: Tx, now: datetime, limit: int) -> list[str]:
    return [r["request"] for r in await tx.records(OVERDUE, now=now, limit=limit)]


async def expire(tx: Tx, request_id: str) -> list[tuple[str, str]]:
    """Expire the request's overdue matches; returns their (id, provider USCC)."""
    return [(r["id"], r["uscc"]) for r in await tx.records(EXPIRE, request=request_id)]
