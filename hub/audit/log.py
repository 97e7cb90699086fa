"""The audit log: who changed what, when, before and after. Written in the transaction of
the change itself (so a change and its record commit together or not at all), read by
admins newest first."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

import structlog

from hub.db.driver import Tx, python_value

# One random UUID per write and the record's place in it: unique ids without the cost of
# a uniqueness constraint on random keys (migration 0012). Zero-padded, so that records
# of one write sort by id in the order they were given.
WRITE: LiteralString = """
WITH randomUUID() AS batch
UNWIND range(0, size($records) - 1) AS place
WITH batch, place, $records[place] AS r
CREATE (:AuditRecord {id: batch + '-' + right('000000' + toString(place), 7),
                      at: datetime(), actor: $actor, request_id: $request_id,
                      action: r.action, entity: r.entity, key: r.key,
                      before: r.before, after: r.after, reason: r.reason})
"""

READ: LiteralString = """
MATCH (a:AuditRecord)
WHERE ($entity IS NULL OR a.entity = $entity) AND ($key IS NULL OR a.key = $key)
  AND ($actor IS NULL OR a.actor = $actor) AND ($before IS NULL OR a.at < $before)
RETURN a {.*} AS record ORDER BY a.at DESC, a.id DESC LIMIT $limit
"""


def current_request_id() -> str | None:
    """The id of the HTTP request being served (bound by RequestIdMiddleware), if any."""
    value = structlog.contextvars.get_contextvars().get("request_id")
    return None if value is None else str(value)


@dataclass(frozen=True)
class Actor:
    """Who makes a change, for the audit log: a principal's handle or a tool's name.

    A tool names itself (`Actor("cli")`); whatever acts in an HTTP request is built by
    `Actor.serving`, so that every record of a request carries its id from one place.
    """

    handle: str
    request_id: str | None = None

    @classmethod
    def serving(cls, handle: str) -> Actor:
        """`handle`, acting in the HTTP request being served (its id: None outside one)."""
        return cls(handle, current_request_id())


@dataclass(frozen=True)
class Change:
    entity: str
    key: str
    action: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    reason: str | None = None  # why, when the caller gave a reason (a deactivation)

    def row(self) -> dict[str, Any]:
        def text(state: dict[str, Any] | None) -> str | None:
            return (
                None
                if state is None
                else json.dumps(state, ensure_ascii=False, sort_keys=True, default=str)
            )

        return {
            "entity": self.entity,
            "key": self.key,
            "action": self.action,
            "before": text(self.before),
            "after": text(self.after),
            "reason": self.reason,
        }


async def record(tx: Tx, actor: Actor, changes: list[Change]) -> None:
    if changes:
        await tx.run(
            WRITE,
            records=[c.row() for c in changes],
            actor=actor.handle,
            request_id=actor.request_id,
        )


@dataclass(frozen=True)
class AuditRecord:
    """One change as the log holds it: its states as they were written (parsed JSON)."""

    id: str
    at: datetime
    actor: str
    request_id: str | None
    action: str
    entity: str
    key: str
    before: Any
    after: Any
    reason: str | None


@dataclass(frozen=True)
class Filter:
    """Which records to read: each given field must match; `before` pages by time."""

    entity: str | None
    key: str | None
    actor: str | None
    before: datetime | None
    limit: int


async def read(tx: Tx, wanted: Filter) -> list[AuditRecord]:
    """The records that match, newest first."""
    rows = await tx.records(READ, **wanted.__dict__)
    return [_audit_record(r["record"]) for r in rows]


def _audit_record(row: dict[str, Any]) -> AuditRecord:
    def parsed(text: str | None) -> Any:
        return None if text is None else json.loads(text)

    return AuditRecord(
        id=row["id"],
        at=python_value(row["at"]),
        actor=row["actor"],
        request_id=row.get("request_id"),
        action=row["action"],
        entity=row["entity"],
        key=row["key"],
        before=parsed(row.get("before")),
        after=parsed(row.get("after")),
        reason=row.get("reason"),
    )
