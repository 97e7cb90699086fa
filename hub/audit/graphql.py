"""GraphQL for the audit log: admins read it; nobody can change it through the API."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from hub.api.context import Info
from hub.db.driver import Tx, python_value
from hub.errors import invalid
from hub.values import instant

MAX_RECORDS = 200

RECORDS = """
MATCH (a:AuditRecord)
WHERE ($entity IS NULL OR a.entity = $entity) AND ($key IS NULL OR a.key = $key)
  AND ($actor IS NULL OR a.actor = $actor) AND ($before IS NULL OR a.at < $before)
RETURN a {.*} AS record ORDER BY a.at DESC, a.id DESC LIMIT $limit
"""


@strawberry.type(name="AuditRecord", description="One change: who, when, what, before, after.")
class AuditRecordType:
    id: strawberry.ID
    at: datetime
    actor: str
    request_id: str | None
    action: str = strawberry.field(description="create, update, retire, reactivate …")
    entity: str
    key: str
    before: JSON | None
    after: JSON | None
    reason: str | None = strawberry.field(
        default=None, description="Why, when the change was given a reason."
    )


def _record(row: dict[str, Any]) -> AuditRecordType:
    def parsed(text: str | None) -> Any:
        return None if text is None else json.loads(text)

    return AuditRecordType(
        id=strawberry.ID(row["id"]),
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


async def _records(tx: Tx, filters: dict[str, Any]) -> list[AuditRecordType]:
    rows = await tx.records(RECORDS, **filters)
    return [_record(r["record"]) for r in rows]


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description="Changes, newest first (admins only; empty for others). "
        "Page with `before` = the `at` of the last record seen."
    )
    async def audit_log(
        self,
        info: Info,
        entity: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        before: datetime | None = None,
        first: int = 50,
    ) -> list[AuditRecordType]:
        principal = info.context.require_principal()
        if not 1 <= first <= MAX_RECORDS:
            raise invalid(
                "first", f"must be between 1 and {MAX_RECORDS}", f"必须在 1 到 {MAX_RECORDS} 之间"
            )
        if not principal.is_admin:
            return []
        since = None if before is None else instant("before", before)
        filters = {"entity": entity, "key": key, "actor": actor, "before": since, "limit": first}
        return await info.context.db.read(_records, filters)
