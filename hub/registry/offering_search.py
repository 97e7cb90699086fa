"""Offering search: which offerings fit a capability branch, place, scale, grade,
certificates and spare capacity, in one query.

Rules (the same ones routing applies):
- capability: the offering's capability is the requested code or beneath it;
- place: a site in one of the parks, in the region, or within `km` of a point;
- scale: scale_min ≤ quantity ≤ scale_max (the unit is the capability's);
- grade: the offering's GMP grade serves the requested one (GmpGrade.serves);
- certificates: for each authority, an active certificate of the holder that covers the
  offering's site and its capability (or a broader one), valid over the whole window;
- spare capacity: every capacity bucket of the offering that overlaps the window has
  total − reserved ≥ spare, and the buckets cover the whole window (no gap).
The window is [start 00:00, end+1 day 00:00) in China time: both days are included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, LiteralString

from hub.db.driver import Tx
from hub.registry import model
from hub.registry.queries import offering as offering_of_state
from hub.registry.rules import day_window

SEARCH: LiteralString = """
MATCH (root:Capability {code: $capability})<-[:BROADER*0..5]-(cap:Capability)
      <-[:OF]-(f:Offering)<-[:OFFERS]-(s:Site)<-[:HAS_SITE]-(o:Organization)
WHERE f.active AND s.active AND o.active
  AND ($after IS NULL OR f.id > $after)
  AND ($parks IS NULL OR EXISTS { (s)-[:LOCATED_IN]->(p:Park) WHERE p.code IN $parks })
  AND ($region IS NULL OR EXISTS { (s)-[:LOCATED_IN]->(:Park {region: $region}) })
  AND ($near IS NULL OR point.distance(s.location, point($near)) <= $radius_m)
  AND ($quantity IS NULL OR (f.scale_min <= $quantity AND $quantity <= f.scale_max))
  AND ($grades IS NULL OR f.gmp_grade IN $grades)
  AND all(authority IN $authorities WHERE EXISTS {
        MATCH (o)-[:HOLDS]->(c:Certificate {authority: authority})-[:COVERS_SITE]->(s)
        WHERE c.active AND c.valid_from <= $from_day
          AND (c.valid_to IS NULL OR c.valid_to >= $to_day)
          AND EXISTS { (cap)-[:BROADER*0..5]->(:Capability)<-[:COVERS]-(c) } })
WITH f, s, o,
     CASE WHEN $spare IS NULL THEN null ELSE COLLECT {
       MATCH (f)-[:HAS_CAPACITY]->(b:CapacityBucket)
       WHERE b.start < $to AND b.end > $from
       RETURN b } END AS buckets
WHERE $spare IS NULL OR (
      size(buckets) > 0
  AND all(b IN buckets WHERE b.total - b.reserved >= $spare)
  AND reduce(covered = 0, b IN buckets | covered + duration.inSeconds(
        CASE WHEN b.start > $from THEN b.start ELSE $from END,
        CASE WHEN b.end < $to THEN b.end ELSE $to END).seconds) >= $window_s)
RETURN f {.*, equipment: [(f)-[:RUNS_ON]->(e:Equipment) | e.tag]} AS state,
       o.uscc AS uscc,
       CASE WHEN $near IS NULL THEN null
            ELSE point.distance(s.location, point($near)) / 1000.0 END AS distance_km,
       CASE WHEN buckets IS NULL THEN null
            ELSE reduce(least = null, b IN buckets |
              CASE WHEN least IS NULL OR b.total - b.reserved < least
                   THEN b.total - b.reserved ELSE least END) END AS min_free
ORDER BY f.id
LIMIT $limit
"""


@dataclass(frozen=True)
class Near:
    lat: float
    lon: float
    km: float


@dataclass(frozen=True)
class OfferingFilter:
    capability: str
    parks: list[str] | None = None
    region: str | None = None
    near: Near | None = None
    quantity: float | None = None
    gmp_grade: model.GmpGrade | None = None
    authorities: list[model.Authority] = field(default_factory=list)
    start: date | None = None
    end: date | None = None
    spare: float | None = None

    def window(self) -> tuple[datetime, datetime] | None:
        if self.start is None or self.end is None:
            return None
        return day_window(self.start, self.end)

    def params(self) -> dict[str, Any]:
        window = self.window()
        start, end = window if window else (None, None)
        seconds = None if window is None else (window[1] - window[0]).total_seconds()
        near = (
            None
            if self.near is None
            else {"latitude": self.near.lat, "longitude": self.near.lon, "crs": "WGS-84"}
        )
        return {
            "capability": self.capability,
            "parks": self.parks,
            "region": self.region,
            "near": near,
            "radius_m": None if self.near is None else self.near.km * 1000,
            "quantity": self.quantity,
            "grades": None if self.gmp_grade is None else model.GRADES_SERVING[self.gmp_grade],
            "authorities": [a.value for a in self.authorities],
            "from_day": self.start,
            "to_day": self.end,
            "from": start,
            "to": end,
            "window_s": seconds,
            "spare": self.spare,
        }


@dataclass(frozen=True)
class Found:
    offering: model.Offering
    uscc: str
    distance_km: float | None
    min_free: float | None


async def search(tx: Tx, where: OfferingFilter, limit: int, after: str | None) -> list[Found]:
    rows = await tx.records(SEARCH, **where.params(), after=after, limit=limit)
    return [
        Found(offering_of_state(r["state"]), r["uscc"], r["distance_km"], r["min_free"])
        for r in rows
    ]
