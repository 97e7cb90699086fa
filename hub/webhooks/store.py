"""Cypher for subscriptions, their delivery cursor and the lease that lets one hub process
at a time deliver to a subscription (so order holds with several processes).

A lease is taken by locking the subscription first (`SET s._lock`) and only then reading
whether it is free, so two dispatchers cannot both take it. Every write a dispatcher
makes afterwards is conditional on still holding the lease.
"""

from __future__ import annotations

from typing import Any, LiteralString

from hub.db.driver import Tx

FIELDS: LiteralString = """s {.id, .uscc, .url, .description, .event_types, .active, .cursor,
  .failures, .created_at, .last_error, .last_attempt_at, .last_delivered_at,
  .next_attempt_at, backlog: coalesce(stream.seq, 0) - s.cursor}"""

CREATE: LiteralString = (
    """
MATCH (o:Organization {uscc: $uscc})
OPTIONAL MATCH (stream:EventStream {uscc: $uscc})
CREATE (s:WebhookSubscription {id: randomUUID(), uscc: $uscc, url: $url,
  description: $description, event_types: $event_types, secret: $secret, active: true,
  cursor: coalesce(stream.seq, 0), failures: 0, created_at: datetime(),
  next_attempt_at: datetime()})
RETURN """
    + FIELDS
    + " AS s"
)

COUNT: LiteralString = """
MATCH (s:WebhookSubscription {uscc: $uscc}) RETURN count(s) AS n
"""

LIST: LiteralString = (
    """
MATCH (s:WebhookSubscription {uscc: $uscc})
OPTIONAL MATCH (stream:EventStream {uscc: $uscc})
RETURN """
    + FIELDS
    + " AS s ORDER BY s.created_at, s.id"
)

LOCK: LiteralString = (
    """
MATCH (s:WebhookSubscription {id: $id})
SET s._lock = true
WITH s
OPTIONAL MATCH (stream:EventStream {uscc: s.uscc})
RETURN """
    + FIELDS
    + " AS s"
)

UPDATE: LiteralString = (
    """
MATCH (s:WebhookSubscription {id: $id})
SET s += $changes, s.updated_at = datetime(),
    s.next_attempt_at = CASE WHEN $retry_now THEN datetime() ELSE s.next_attempt_at END
WITH s
OPTIONAL MATCH (stream:EventStream {uscc: s.uscc})
RETURN """
    + FIELDS
    + " AS s"
)

DELETE: LiteralString = """
MATCH (s:WebhookSubscription {id: $id}) DETACH DELETE s
"""

CLAIM: LiteralString = """
MATCH (s:WebhookSubscription {active: true})
WHERE s.next_attempt_at <= datetime()
  AND (s.lease_until IS NULL OR s.lease_until < datetime())
MATCH (stream:EventStream {uscc: s.uscc}) WHERE stream.seq > s.cursor
WITH s ORDER BY s.next_attempt_at, s.id LIMIT $limit
SET s._lock = true
WITH s WHERE s.lease_until IS NULL OR s.lease_until < datetime()
SET s.lease_owner = $worker, s.lease_until = datetime() + duration({seconds: $lease_s})
RETURN s {.id, .uscc, .url, .secret, .event_types, .cursor, .failures} AS s
"""

PENDING: LiteralString = """
MATCH (e:OutboxEvent {uscc: $uscc}) WHERE e.seq > $cursor
RETURN e {.id, .uscc, .seq, .type, .request_id, .match_id, .data, .at} AS e
ORDER BY e.seq LIMIT $limit
"""

DELIVERED: LiteralString = """
MATCH (s:WebhookSubscription {id: $id}) WHERE s.lease_owner = $worker
SET s.cursor = $seq, s.failures = 0, s.last_error = null, s.last_attempt_at = datetime(),
    s.last_delivered_at = datetime(),
    s.lease_until = datetime() + duration({seconds: $lease_s})
RETURN count(s) AS held
"""

FAILED: LiteralString = """
MATCH (s:WebhookSubscription {id: $id}) WHERE s.lease_owner = $worker
SET s.cursor = CASE WHEN $seq > s.cursor THEN $seq ELSE s.cursor END,
    s.failures = s.failures + 1, s.last_error = $error, s.last_attempt_at = datetime(),
    s.next_attempt_at = datetime() + duration({milliseconds: $delay_ms}),
    s.lease_owner = null, s.lease_until = null
"""

RELEASE: LiteralString = """
MATCH (s:WebhookSubscription {id: $id}) WHERE s.lease_owner = $worker
SET s.cursor = CASE WHEN $seq > s.cursor THEN $seq ELSE s.cursor END,
    s.lease_owner = null, s.lease_until = null
"""


async def count(tx: Tx, uscc: str) -> int:
    row = await tx.single(COUNT, uscc=uscc)
    return int(row["n"]) if row else 0


async def create(tx: Tx, uscc: str, props: dict[str, Any]) -> dict[str, Any] | None:
    row = await tx.single(CREATE, uscc=uscc, **props)
    return None if row is None else dict(row["s"])


async def listed(tx: Tx, uscc: str) -> list[dict[str, Any]]:
    return [dict(r["s"]) for r in await tx.records(LIST, uscc=uscc)]


async def lock(tx: Tx, subscription_id: str) -> dict[str, Any] | None:
    row = await tx.single(LOCK, id=subscription_id)
    return None if row is None else dict(row["s"])


async def update(
    tx: Tx, subscription_id: str, changes: dict[str, Any], retry_now: bool = False
) -> dict[str, Any]:
    row = await tx.single(UPDATE, id=subscription_id, changes=changes, retry_now=retry_now)
    assert row is not None, "update after lock"
    return dict(row["s"])


async def delete(tx: Tx, subscription_id: str) -> None:
    await tx.run(DELETE, id=subscription_id)


async def claim(tx: Tx, worker: str, lease_s: int, limit: int) -> list[dict[str, Any]]:
    rows = await tx.records(CLAIM, worker=worker, lease_s=lease_s, limit=limit)
    return [dict(r["s"]) for r in rows]


async def pending(tx: Tx, uscc: str, cursor: int, limit: int) -> list[dict[str, Any]]:
    rows = await tx.records(PENDING, uscc=uscc, cursor=cursor, limit=limit)
    return [dict(r["e"]) for r in rows]


async def delivered(tx: Tx, subscription_id: str, worker: str, seq: int, lease_s: int) -> bool:
    row = await tx.single(DELIVERED, id=subscription_id, worker=worker, seq=seq, lease_s=lease_s)
    return bool(row and row["held"])


async def failed(
    tx: Tx, subscription_id: str, worker: str, seq: int, error: str, delay_ms: int
) -> None:
    await tx.run(FAILED, id=subscription_id, worker=worker, seq=seq, error=error, delay_ms=delay_ms)


async def release(tx: Tx, subscription_id: str, worker: str, seq: int) -> None:
    await tx.run(RELEASE, id=subscription_id, worker=worker, seq=seq)
