"""Cypher for notification preferences: the kinds a person switched off, as a list on the
Person (`muted_notifications`; absent: everything on). Reads and writes an existing
Person only (see audience.py)."""

from __future__ import annotations

from typing import LiteralString

from hub.db.driver import Tx

READ: LiteralString = """
MATCH (p:Person {id: $id})
RETURN coalesce(p.muted_notifications, []) AS muted
"""

# The first SET reads and writes the list, which locks the person: what is read after it
# (`before`) is the latest, so two switches at once both count and are both told right.
SWITCH: LiteralString = """
MATCH (p:Person {id: $id})
SET p.muted_notifications = coalesce(p.muted_notifications, [])
WITH p, p.muted_notifications AS before
SET p.muted_notifications = CASE
      WHEN $on THEN [k IN coalesce(p.muted_notifications, []) WHERE k <> $kind]
      WHEN $kind IN coalesce(p.muted_notifications, []) THEN p.muted_notifications
      ELSE coalesce(p.muted_notifications, []) + $kind END
RETURN before, p.muted_notifications AS after
"""


async def muted(tx: Tx, person_id: str) -> list[str] | None:
    """The kinds switched off; None when there is no such person."""
    row = await tx.single(READ, id=person_id)
    return None if row is None else list(row["muted"])


async def switch(tx: Tx, person_id: str, kind: str, on: bool) -> tuple[list[str], list[str]] | None:
    """Switch one kind on or off; the muted kinds before and after (None: no person)."""
    row = await tx.single(SWITCH, id=person_id, kind=kind, on=on)
    return None if row is None else (list(row["before"]), list(row["after"]))
