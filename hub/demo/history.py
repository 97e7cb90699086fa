"""Past engagements: completed requests and the provider that delivered them.

They are what routing's track-record and prior-collaboration scores count; the demo
network loads some (fictional, like its firms). Loading is idempotent (MERGE on ids), and
recounts the records of the organizations concerned (hub.routing.store.track_record) in the
same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hub.db.driver import Database, Tx
from hub.routing.store import track_record

LOAD = """
UNWIND $rows AS e
MATCH (q:Organization {uscc: e.requester}), (p:Organization {uscc: e.provider})
MATCH (f:Offering {id: e.offering_id}), (c:Capability {code: e.request.capability})
MERGE (r:Request {id: e.id})
ON CREATE SET r += e.request, r.created_at = datetime(), r.fictional = true
MERGE (q)-[:REQUESTED]->(r)
MERGE (r)-[:NEEDS]->(c)
MERGE (r)-[:AWARDED_TO]->(p)
MERGE (m:Match {id: e.id + '/match'})
ON CREATE SET m += e.match
MERGE (m)-[:FOR]->(r)
MERGE (m)-[:TO]->(f)
MERGE (m)-[:ROUTED_TO]->(p)
"""


@dataclass(frozen=True)
class PastEngagement:
    id: str
    title: str
    requester: str
    provider: str
    offering_id: str
    capability: str
    unit: str
    quantity: float
    start: date
    end: date
    gmp_grade: str
    on_time: bool
    rating: int
    price_cny: float

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "requester": self.requester,
            "provider": self.provider,
            "offering_id": self.offering_id,
            "request": {
                "title": self.title,
                "requester": self.requester,
                "provider": self.provider,
                "capability": self.capability,
                "unit": self.unit,
                "quantity": self.quantity,
                "earliest_start": self.start,
                "need_by": self.end,
                "gmp_grade": self.gmp_grade,
                "authorities": [],
                "preferred_parks": [],
                "currency": "CNY",
                "confidential": False,
                "status": "completed",
                "on_time": self.on_time,
                "rating": self.rating,
            },
            "match": {
                "request_id": self.id,
                "offering_id": self.offering_id,
                "uscc": self.provider,
                "rank": 1,
                "status": "awarded",
                "quote_price": self.price_cny,
                "quote_currency": "CNY",
            },
        }


async def _load(tx: Tx, rows: list[dict[str, Any]]) -> None:
    await tx.run(LOAD, rows=rows)
    usccs = sorted({r["requester"] for r in rows} | {r["provider"] for r in rows})
    await tx.run(track_record.RECOUNT, usccs=usccs)


async def load_past_engagements(db: Database, engagements: list[PastEngagement]) -> int:
    await db.write(_load, [e.row() for e in engagements])
    return len(engagements)
