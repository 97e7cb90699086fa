"""The fit summary of an offering: what the fit rules read, kept beside the offering.

`(:Offering)-[:HAS_FIT]->(:Fit {offering_id})` holds, as parallel lists,
- its capacity buckets in start order: ids, start and end (epoch seconds), free
  (total − reserved);
- the union of those buckets as disjoint intervals (cover_start, cover_end), so that
  "every instant of the window is covered" is one comparison;
- the active certificates of its holder that cover its site and its capability or a
  broader one, latest expiry first: ids, authority, valid_from, valid_to (no expiry is
  stored as 9999-12-31, a list cannot hold null).

Every write that changes one of these refreshes the summary in its own transaction:
the registry writes (hub.registry.store.entities: offerings, certificates, capacity buckets, so
single mutations, imports and generated networks alike) and reservations
(hub.routing.store: award, cancel). `REFRESH` is a Cypher subquery over a list
`offerings` of Offering nodes; `refresh` runs it for offering ids, for any other writer.
The refresh locks the summary before reading, so of two concurrent writers the later one
reads what the earlier committed.
"""

from __future__ import annotations

from typing import LiteralString

from hub.db.driver import Tx

NO_EXPIRY = "9999-12-31"

REFRESH: LiteralString = """
CALL (offerings) {
  UNWIND offerings AS f
  WITH DISTINCT f WHERE f IS NOT NULL
  WITH f ORDER BY f.id
  MERGE (fit:Fit {offering_id: f.id})
  MERGE (f)-[:HAS_FIT]->(fit)
  SET fit.refreshed_at = datetime()
  WITH f, fit,
       COLLECT { MATCH (f)-[:HAS_CAPACITY]->(b:CapacityBucket)
                 RETURN {id: b.id, start: b.start.epochSeconds, end: b.end.epochSeconds,
                         free: b.total - b.reserved} AS bucket
                 ORDER BY bucket.start, bucket.id } AS buckets,
       COLLECT { MATCH (f)<-[:OFFERS]-(s:Site)<-[:HAS_SITE]-(o:Organization)
                       -[:HOLDS]->(c:Certificate)-[:COVERS_SITE]->(s)
                 WHERE c.active
                   AND EXISTS { (f)-[:OF]->(:Capability)-[:BROADER*0..5]->(:Capability)
                                <-[:COVERS]-(c) }
                 RETURN {id: c.id, authority: c.authority, valid_from: c.valid_from,
                         valid_to: coalesce(c.valid_to, date('9999-12-31'))} AS certificate
                 ORDER BY certificate.valid_to DESC, certificate.id } AS certificates
  WITH fit, buckets, certificates,
       reduce(cover = {start: [], end: []}, b IN buckets |
         CASE WHEN size(cover.end) > 0 AND b.start <= cover.end[-1]
              THEN {start: cover.start,
                    end: cover.end[..-1] + [CASE WHEN b.end > cover.end[-1]
                                                 THEN b.end ELSE cover.end[-1] END]}
              ELSE {start: cover.start + [b.start], end: cover.end + [b.end]} END) AS cover
  SET fit.bucket_ids = [b IN buckets | b.id],
      fit.bucket_start = [b IN buckets | b.start],
      fit.bucket_end = [b IN buckets | b.end],
      fit.bucket_free = [b IN buckets | toFloat(b.free)],
      fit.cover_start = cover.start,
      fit.cover_end = cover.end,
      fit.cert_ids = [c IN certificates | c.id],
      fit.cert_authority = [c IN certificates | c.authority],
      fit.cert_from = [c IN certificates | c.valid_from],
      fit.cert_to = [c IN certificates | c.valid_to]
}
"""

REFRESH_IDS: LiteralString = (
    """
MATCH (f:Offering) WHERE f.id IN $ids
WITH collect(f) AS offerings
"""
    + REFRESH
)

REFRESH_ALL: LiteralString = (
    """
MATCH (f:Offering)
WITH collect(f) AS offerings
"""
    + REFRESH
)


async def refresh(tx: Tx, offering_ids: list[str]) -> None:
    """Recompute the fit summaries of these offerings (for writers outside the registry
    kinds and the reservation queries, which refresh on their own)."""
    await tx.run(REFRESH_IDS, ids=offering_ids)


async def refresh_all(tx: Tx) -> None:
    """Recompute every offering's fit summary (what migration 0009 did once)."""
    await tx.run(REFRESH_ALL)
