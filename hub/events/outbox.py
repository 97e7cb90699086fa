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
UNWIND $streams AS s
MERGE (stream:EventStream {uscc: s.uscc})
SET stream.seq = coalesce(stream.seq, 0) + size(s.events)
WITH stream, s.events AS events, stream.seq - size(s.events) AS base
UNWIND range(0, size(events) - 1) AS i
WITH stream, events[i] AS e, base + i + 1 AS seq
CREATE (:OutboxEvent {id: randomUUID(), uscc: stream.uscc, seq: seq, type: e.type,
                      request_id: e.request_id, match_id: e.match_id, data: e.data,
                      at: datetime()})
"""


def _camel(name: str) -> str:
    """Data keys as the API spells them (`routed_to` → `routedTo`)."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


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
            "data": json.dumps(
                {_camel(k): v for k, v in self.data.items()}, ensure_ascii=False, default=str
            ),
        }


async def record(tx: Tx, events: list[Event]) -> None:
    """Append the events, in the given order, each to its organization's stream. Events
    are grouped by stream first: each stream node is then touched by one row only, so its
    numbering cannot be reordered by the query plan."""
    streams: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        streams.setdefault(event.uscc, []).append(event.row())
    if streams:
        rows = [{"uscc": uscc, "events": rows} for uscc, rows in streams.items()]
        await tx.run(RECORD, streams=rows)
