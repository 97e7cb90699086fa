"""Cypher for mailing the event outbox: which organizations' streams have events not yet
mailed, and one batch of a stream's events with what their messages need.

How far each stream is mailed is kept in `(:MailCursor {uscc, seq})`, apart from the
stream itself: taking it (`SET c._lock`) serializes mailers without ever making a change
that records events wait.
"""

from __future__ import annotations

from typing import Any, LiteralString

from hub.db.driver import Tx
from hub.mail.store.audience import MEMBERS, RECIPIENT

BEHIND: LiteralString = """
MATCH (s:EventStream)
OPTIONAL MATCH (c:MailCursor {uscc: s.uscc})
WITH s WHERE s.seq > coalesce(c.seq, 0)
RETURN s.uscc AS uscc ORDER BY uscc LIMIT $limit
"""

BATCH: LiteralString = (
    """
MERGE (c:MailCursor {uscc: $uscc})
ON CREATE SET c.seq = 0
SET c._lock = true
WITH c
OPTIONAL MATCH (o:Organization {uscc: c.uscc})
RETURN c.seq AS cursor,
       {zh: o.name_zh, en: coalesce(o.name_en, o.name_zh)} AS organization_name,
       COLLECT { """
    + MEMBERS
    + """ RETURN DISTINCT """
    + RECIPIENT
    + """ AS person } AS people,
       COLLECT {
         MATCH (e:OutboxEvent {uscc: c.uscc}) WHERE e.seq > c.seq
         WITH e ORDER BY e.seq LIMIT $limit
         OPTIONAL MATCH (r:Request {id: e.request_id})
         OPTIONAL MATCH (m:Match {id: e.match_id})
         OPTIONAL MATCH (provider:Organization {uscc: m.uscc})
         RETURN e {.id, .seq, .type, .data, .match_id, .request_id,
                   title: r.title, awarded_to: r.provider,
                   routed: CASE WHEN e.type = 'match.routed'
                     THEN [(r)<-[:FOR]-(x:Match {uscc: e.uscc}) |
                           x {.id, .offering_id, deadline: toString(x.deadline), .routed_at}]
                     ELSE [] END,
                   quote: m {.quote_price, .quote_currency, .quote_lead_time_days,
                             quote_valid_until: toString(m.quote_valid_until)},
                   provider_name: {zh: provider.name_zh,
                                   en: coalesce(provider.name_en, provider.name_zh)}} AS event
         ORDER BY event.seq } AS events
"""
)

ADVANCE: LiteralString = """
MATCH (c:MailCursor {uscc: $uscc}) WHERE c.seq < $seq
SET c.seq = $seq
"""


async def behind(tx: Tx, limit: int) -> list[str]:
    return [r["uscc"] for r in await tx.records(BEHIND, limit=limit)]


async def batch(tx: Tx, uscc: str, limit: int) -> dict[str, Any]:
    row = await tx.single(BATCH, uscc=uscc, limit=limit)
    assert row is not None  # MERGE returns the cursor
    return dict(row)


async def advance(tx: Tx, uscc: str, seq: int) -> None:
    await tx.run(ADVANCE, uscc=uscc, seq=seq)
