"""Sign-in sessions: `(:Session)-[:SIGNS_IN]->(:Person)`, found by the hash of the cookie.

A session is good while not revoked, before `expires_at` (its absolute end) and before
`idle_until` (moved on by use, never past `expires_at`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from hub.db.driver import Tx, python_value
from hub.identity.model import Principal
from hub.identity.store import ROLES_OF_P, roles_of

# A new session; the one the browser came with, if any, is revoked (rotation on sign-in).
OPEN: LiteralString = """
MATCH (p:Person {id: $person})
CREATE (s:Session {id: $id, hash: $hash, csrf_hash: $csrf_hash, created_at: $now,
                   last_seen_at: $now, idle_until: $idle_until, expires_at: $expires_at})
CREATE (s)-[:SIGNS_IN]->(p)
WITH p
OPTIONAL MATCH (old:Session {hash: $replaced})
WHERE old.revoked_at IS NULL
SET old.revoked_at = $now
RETURN old.id AS replaced
"""

AUTHENTICATE: LiteralString = (
    """
MATCH (c:Session {hash: $hash})-[:SIGNS_IN]->(p:Person)
WHERE c.revoked_at IS NULL AND c.expires_at > $now AND c.idle_until > $now
"""
    + ROLES_OF_P
    + """
RETURN c.id AS session_id, c.csrf_hash AS csrf_hash, c.last_seen_at AS last_seen_at,
       c.expires_at AS expires_at, p.id AS id, p.handle AS handle, admin, orgs, parks
"""
)

TOUCH: LiteralString = """
MATCH (s:Session {id: $id}) WHERE s.revoked_at IS NULL
SET s.last_seen_at = $now, s.idle_until = $idle_until
"""

REVOKE: LiteralString = """
MATCH (s:Session {id: $id}) WHERE s.revoked_at IS NULL
SET s.revoked_at = $now
RETURN s.id AS id
"""

# Every session of the person, but `keep` (None: every one).
REVOKE_ALL: LiteralString = """
MATCH (s:Session)-[:SIGNS_IN]->(:Person {id: $person})
WHERE s.revoked_at IS NULL AND ($keep IS NULL OR s.id <> $keep)
SET s.revoked_at = $now
RETURN count(s) AS revoked
"""


@dataclass(frozen=True)
class SessionHolder:
    """What a good session's cookie leads to."""

    principal: Principal
    csrf_hash: str
    last_seen_at: datetime
    expires_at: datetime


async def open_session(tx: Tx, row: dict[str, Any]) -> str | None:
    """Open a session (`row`: its columns); the id of the session it replaced, if any."""
    found = await tx.single(OPEN, **row)
    return None if found is None else found["replaced"]


async def authenticate(tx: Tx, session_hash: str, now: datetime) -> SessionHolder | None:
    row = await tx.single(AUTHENTICATE, hash=session_hash, now=now)
    if row is None:
        return None
    principal = Principal(
        id=row["id"], handle=row["handle"], roles=roles_of(row), session_id=row["session_id"]
    )
    return SessionHolder(
        principal,
        row["csrf_hash"],
        python_value(row["last_seen_at"]),
        python_value(row["expires_at"]),
    )


async def touch(tx: Tx, session_id: str, now: datetime, idle_until: datetime) -> None:
    await tx.run(TOUCH, id=session_id, now=now, idle_until=idle_until)


async def revoke(tx: Tx, session_id: str, now: datetime) -> bool:
    return await tx.single(REVOKE, id=session_id, now=now) is not None


async def revoke_all(tx: Tx, person_id: str, now: datetime, keep: str | None = None) -> int:
    row = await tx.single(REVOKE_ALL, person=person_id, now=now, keep=keep)
    return 0 if row is None else int(row["revoked"])
