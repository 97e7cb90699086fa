"""Cypher for the sending side of the mail outbox: claiming a due message under a lease,
and recording what came of it.

States: `queued` → `sending` (one sender holds it) → `sent` | `queued` again (a retry)
| `failed`. For a message being sent, `due_at` is when its sender's lease runs out: a
sender that died leaves it due again then, and the next claim takes it over. So the one
index on (state, due_at) serves every claim.

A claim locks the message (`SET m._lock`) before reading whether it is still due, so two
senders cannot both take it: the second waits on the lock, then finds it no longer due.
Every later write is conditional on still holding the lease (`lease_owner`).
"""

from __future__ import annotations

from typing import Any, LiteralString

from hub.db.driver import Tx

CLAIM: LiteralString = """
MATCH (m:MailMessage) WHERE m.state IN ['queued', 'sending'] AND m.due_at <= datetime()
WITH m ORDER BY m.due_at, m.id LIMIT 1
SET m._lock = true
WITH m WHERE m.state IN ['queued', 'sending'] AND m.due_at <= datetime()
WITH m, m.attempts >= $max_attempts AS spent
SET m.attempts = m.attempts + CASE WHEN spent THEN 0 ELSE 1 END,
    m.last_attempt_at = CASE WHEN spent THEN m.last_attempt_at ELSE datetime() END,
    m.state = CASE WHEN spent THEN 'failed' ELSE 'sending' END,
    m.last_error = CASE WHEN spent THEN 'no answer from its sender in time' ELSE m.last_error END,
    m.lease_owner = CASE WHEN spent THEN null ELSE $worker END,
    m.due_at = CASE WHEN spent THEN m.due_at ELSE datetime() + duration({seconds: $lease_s}) END,
    m.values = CASE WHEN spent AND m.template IN $secret THEN null ELSE m.values END
RETURN m {.id, .key, .to, .language, .template, .values, .attempts, .state} AS m
"""

SENT: LiteralString = """
MATCH (m:MailMessage {id: $id}) WHERE m.state = 'sending' AND m.lease_owner = $worker
SET m.state = 'sent', m.sent_at = datetime(), m.lease_owner = null, m.last_error = null,
    m.values = CASE WHEN m.template IN $secret THEN null ELSE m.values END
RETURN count(m) AS held
"""

RETRY: LiteralString = """
MATCH (m:MailMessage {id: $id}) WHERE m.state = 'sending' AND m.lease_owner = $worker
WITH m, m.attempts >= $max_attempts AS spent
SET m.state = CASE WHEN spent THEN 'failed' ELSE 'queued' END,
    m.due_at = datetime() + duration({milliseconds: $delay_ms}),
    m.last_error = $error, m.lease_owner = null,
    m.values = CASE WHEN spent AND m.template IN $secret THEN null ELSE m.values END
RETURN m.state AS state
"""

GIVE_UP: LiteralString = """
MATCH (m:MailMessage {id: $id}) WHERE m.state = 'sending' AND m.lease_owner = $worker
SET m.state = 'failed', m.last_error = $error, m.lease_owner = null,
    m.values = CASE WHEN m.template IN $secret THEN null ELSE m.values END
"""


async def claim(
    tx: Tx, worker: str, lease_s: int, max_attempts: int, secret: list[str]
) -> dict[str, Any] | None:
    """The next due message, now held by `worker` (or given up when its attempts are spent:
    returned with state `failed`, not to be sent)."""
    row = await tx.single(
        CLAIM, worker=worker, lease_s=lease_s, max_attempts=max_attempts, secret=secret
    )
    return None if row is None else dict(row["m"])


async def sent(tx: Tx, message_id: str, worker: str, secret: list[str]) -> bool:
    """Whether the lease was still held (if not, another sender may have sent it too)."""
    row = await tx.single(SENT, id=message_id, worker=worker, secret=secret)
    return bool(row and row["held"])


async def retry(
    tx: Tx,
    message_id: str,
    worker: str,
    error: str,
    delay_ms: int,
    max_attempts: int,
    secret: list[str],
) -> str | None:
    """Queue it again after `delay_ms`, or give it up when its attempts are spent; the new
    state, or None when the lease was lost."""
    row = await tx.single(
        RETRY,
        id=message_id,
        worker=worker,
        error=error,
        delay_ms=delay_ms,
        max_attempts=max_attempts,
        secret=secret,
    )
    return None if row is None else str(row["state"])


async def give_up(tx: Tx, message_id: str, worker: str, error: str, secret: list[str]) -> None:
    await tx.run(GIVE_UP, id=message_id, worker=worker, error=error, secret=secret)
