"""A request's events as its requester hears them, read from the outbox: the source the
GraphQL subscription streams from, so it works the same with several hub processes.

Each read also says whether the token or sign-in session the watcher signed in with is
still good (not revoked, not expired): a live subscription must end when its credential
does, and asking in the same query costs no extra round trip. (An open subscription is
use of the console: a session's idle end does not end it, its absolute end does.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, LiteralString

from hub.db.driver import Tx
from hub.time import now

SINCE: LiteralString = """
OPTIONAL MATCH (t:ApiToken {id: $token})
OPTIONAL MATCH (s:Session {id: $session})
WITH ($token IS NULL
      OR (t IS NOT NULL AND t.revoked_at IS NULL
          AND (t.expires_at IS NULL OR t.expires_at > datetime())))
     AND ($session IS NULL
          OR (s IS NOT NULL AND s.revoked_at IS NULL AND s.expires_at > $now)) AS signed_in
MATCH (r:Request {id: $request})
OPTIONAL MATCH (e:OutboxEvent {request_id: $request, uscc: r.requester}) WHERE e.seq > $after
WITH signed_in, r, e ORDER BY e.seq
RETURN signed_in, r.status AS status,
       [x IN collect(e) | x {.id, .seq, .type, .match_id, .data, .at}] AS events
"""


@dataclass(frozen=True)
class Since:
    status: str  # the request's status now ("" if there is no such request)
    events: list[dict[str, Any]]  # its requester's events after the sequence asked for
    signed_in: bool  # whether the watcher's token is still good


async def since(
    tx: Tx,
    request_id: str,
    after: int,
    token_id: str | None = None,
    session_id: str | None = None,
) -> Since:
    """The request's status now, its requester's events after sequence `after`, and
    whether token `token_id` and session `session_id` (None: none to check) are still good."""
    row = await tx.single(
        SINCE, request=request_id, after=after, token=token_id, session=session_id, now=now()
    )
    if row is None:
        return Since("", [], True)
    return Since(row["status"], [dict(e) for e in row["events"]], row["signed_in"])
