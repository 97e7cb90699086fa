"""A webhook subscription, and the message one outbox event becomes on the wire."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub.db.driver import python_value

# What an organization can subscribe to (see hub/routing/service.py for when each fires).
EVENT_TYPES = (
    "request.submitted",
    "request.routed",
    "request.unfilled",
    "request.awarded",
    "request.cancelled",
    "request.completed",
    "match.routed",
    "match.accepted",
    "match.declined",
    "match.expired",
    "match.awarded",
    "match.closed",
)
MAX_PER_ORGANIZATION = 10


@dataclass(frozen=True)
class Subscription:
    """`cursor` is the organization's event sequence delivered so far; `event_types`
    empty means every type. The secret is only ever shown when made or rotated."""

    id: str
    uscc: str
    url: str
    description: str
    event_types: tuple[str, ...]
    active: bool
    cursor: int
    failures: int
    created_at: datetime
    backlog: int = 0
    last_error: str | None = None
    last_attempt_at: datetime | None = None
    last_delivered_at: datetime | None = None
    next_attempt_at: datetime | None = None

    @classmethod
    def of(cls, row: dict[str, Any]) -> Subscription:
        return cls(
            id=row["id"],
            uscc=row["uscc"],
            url=row["url"],
            description=row.get("description") or "",
            event_types=tuple(row.get("event_types") or ()),
            active=row["active"],
            cursor=row["cursor"],
            failures=row.get("failures") or 0,
            created_at=python_value(row["created_at"]),
            backlog=max(0, row.get("backlog") or 0),
            last_error=row.get("last_error"),
            last_attempt_at=python_value(row.get("last_attempt_at")),
            last_delivered_at=python_value(row.get("last_delivered_at")),
            next_attempt_at=python_value(row.get("next_attempt_at")),
        )

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


@dataclass(frozen=True)
class Message:
    """One outbox event as delivered: `id` is the `webhook-id`, the same on every retry."""

    id: str
    sequence: int
    type: str
    body: str

    @classmethod
    def of(cls, event: dict[str, Any]) -> Message:
        data = json.loads(event["data"] or "{}")
        payload = {
            "type": event["type"],
            "timestamp": python_value(event["at"]).isoformat(),
            "data": {
                "organization": event["uscc"],
                "sequence": event["seq"],
                "requestId": event["request_id"],
                "matchId": event.get("match_id"),
                **data,
            },
        }
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        return cls(id=event["id"], sequence=event["seq"], type=event["type"], body=body)
