"""GraphQL for the audit log: admins read it; nobody can change it through the API."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from hub.api.context import Info
from hub.audit import log
from hub.errors import invalid
from hub.values import instant

MAX_RECORDS = 200


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

    @classmethod
    def of(cls, record: log.AuditRecord) -> AuditRecordType:
        return cls(**{**record.__dict__, "id": strawberry.ID(record.id)})


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
        wanted = log.Filter(entity, key, actor, since, first)
        return [AuditRecordType.of(r) for r in await info.context.db.read(log.read, wanted)]
