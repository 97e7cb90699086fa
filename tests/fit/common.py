"""What the fit tests share: buckets published as a provider would, and a routed request
waiting for its award (written directly, as tests/routing/test_overbooking.py does)."""

from __future__ import annotations

from datetime import date
from typing import Any

from hub.audit.log import Actor
from hub.db.driver import Database, Tx
from hub.registry import rules
from hub.registry.store.writes import apply
from tests import factories
from tests.registry import sample

OFFERING = f"{sample.USCC}/yz-1/mab-usp"
UNIT = "bioreactor_l_batch"
REQUESTER = factories.uscc(8)

PENDING = """
MATCH (o:Organization {uscc: $requester}), (p:Organization {uscc: $provider})
CREATE (r:Request {id: $id, status: 'routed', requester: $requester, title: 'one batch',
                   created_at: datetime(), currency: 'CNY', capability: $capability,
                   quantity: $quantity, unit: $unit, earliest_start: $start, need_by: $end,
                   gmp_grade: $grade, authorities: $authorities, preferred_parks: []})
CREATE (m:Match {id: $id + '-m', request_id: r.id, status: 'accepted',
                 offering_id: $offering, uscc: $provider})
CREATE (o)-[:REQUESTED]->(r), (m)-[:FOR]->(r), (m)-[:ROUTED_TO]->(p)
"""


async def publish(db: Database, owner: str, periods: list[tuple[str, date, float]]) -> None:
    """Publish (grain, start, total) buckets through the registry's write path."""

    async def work(tx: Tx) -> None:
        buckets = [
            rules.bucket({"grain": grain, "start": start, "total": total}, owner, UNIT)
            for grain, start, total in periods
        ]
        await apply(tx, buckets, Actor("test:fit"))

    await db.write(work)


async def pending(db: Database, request_id: str, offering: str, **need: Any) -> None:
    """A routed request whose match with `offering` was accepted: ready for the award."""

    async def work(tx: Tx) -> None:
        await tx.run(
            PENDING,
            id=request_id,
            requester=REQUESTER,
            provider=sample.USCC,
            offering=offering,
            **need,
        )

    await db.write(work)
