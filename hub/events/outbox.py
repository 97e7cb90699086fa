"""The outbox: events written in the transaction that makes the change, so that an
event exists if and only if its change was committed.

Each event is addressed to one organization (the requester, or a provider) and numbered
in that organization's stream (`seq` 1, 2, 3 ...): the order in which a receiver must get
them. Taking the stream's counter locks it, so concurrent changes number without gaps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from hub.db.driver import Tx

RECORD = """
UNWIND $events AS e
MERGE (stream:EventStream {uscc: e.uscc})
SET stream.seq = coalesce(stream.seq, 0) + 1
CREATE (:OutboxEvent {id: randomUUID(), uscc: e.uscc, seq: stream.seq, type: e.type,
                      request_id: e.request_id, match_id: e.match_id, data: e.data,
                      at: datetime()})
"""


@dataclass(frozen=True)
class Event:
    """`type` is `request.<status>` or `match.<status>`; `uscc` the organization told."""

    uscc: str
    type: str
    request_id: str
    match_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        return {
            "uscc": self.uscc,
            "type": self.type,
            "request_id": self.request_id,
            "match_id": self.match_id,
            "data": json.dumps(self.data, ensure_ascii=False, default=str),
        }


async def record(tx: Tx, events: list[Event]) -> None:
    if events:
        await tx.run(RECORD, events=[e.row() for e in events])
