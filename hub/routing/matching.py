"""Matching: every offering beneath the requested capability, assessed against each hard
constraint in one query; those failing none are candidates, those failing exactly one
are near-misses (with the constraint and the value that failed).

Hard constraints, each as offering search applies them (hub.registry.offering_search):
scale (scale_min ≤ quantity ≤ scale_max), GMP grade (GmpGrade.serves), every required
certificate authority (an active certificate covering the site and the capability or a
broader one, valid from the earliest start to the need-by date), capacity (every bucket
overlapping the window has total − reserved ≥ quantity, and the buckets cover the window:
the quantity is needed in every period), and the maximum distance when given. The
requester itself and retired organizations, sites and offerings are never considered.
"""

from __future__ import annotations

from typing import Any, LiteralString

from hub.db.driver import Tx
from hub.registry.model import GRADES_SERVING
from hub.registry.rules import day_window
from hub.routing import constraints
from hub.routing.model import Assessment, Evidence, Need

ASSESS: LiteralString = """
MATCH (:Capability {code: $capability})<-[:BROADER*0..5]-(cap:Capability)
      <-[:OF]-(f:Offering)<-[:OFFERS]-(s:Site)<-[:HAS_SITE]-(o:Organization)
WHERE f.active AND s.active AND o.active AND o.uscc <> $requester AND f.unit = $unit
WITH f, s, o, cap,
     CASE WHEN $origin IS NULL THEN null
          ELSE point.distance(s.location, point($origin)) / 1000.0 END AS distance_km,
     [authority IN $authorities | {authority: authority, held: COLLECT {
        MATCH (o)-[:HOLDS]->(c:Certificate {authority: authority})-[:COVERS_SITE]->(s)
        WHERE c.active AND EXISTS { (cap)-[:BROADER*0..5]->(:Capability)<-[:COVERS]-(c) }
        RETURN c {.id, .valid_from, .valid_to} ORDER BY c.valid_to DESC }}] AS certificates,
     COLLECT { MATCH (f)-[:HAS_CAPACITY]->(b:CapacityBucket)
               WHERE b.start < $to AND b.end > $from
               RETURN b {.id, .start, .end, .total, .reserved} ORDER BY b.start } AS buckets
WITH f, s, o, cap, distance_km, certificates, buckets,
     f.scale_min <= $quantity AND $quantity <= f.scale_max AS scale_ok,
     f.gmp_grade IN $grades AS grade_ok,
     $max_km IS NULL OR distance_km <= $max_km AS distance_ok,
     [c IN certificates WHERE NOT any(held IN c.held WHERE held.valid_from <= $first_day
        AND (held.valid_to IS NULL OR held.valid_to >= $last_day))] AS missing_certificates,
     size(buckets) > 0 AND all(b IN buckets WHERE b.total - b.reserved >= $quantity)
       AND reduce(covered = 0, b IN buckets | covered + duration.inSeconds(
             CASE WHEN b.start > $from THEN b.start ELSE $from END,
             CASE WHEN b.end < $to THEN b.end ELSE $to END).seconds) >= $window_s
       AS capacity_ok
WITH *, size(missing_certificates)
        + CASE WHEN scale_ok THEN 0 ELSE 1 END + CASE WHEN grade_ok THEN 0 ELSE 1 END
        + CASE WHEN distance_ok THEN 0 ELSE 1 END + CASE WHEN capacity_ok THEN 0 ELSE 1 END
        AS failed
WHERE failed <= 1
RETURN o.uscc AS uscc, cap.code AS capability, s.id AS site_id,
       [(s)-[:LOCATED_IN]->(p:Park) | p.code][0] AS park,
       f {.id, .scale_min, .scale_max, .gmp_grade, .unit} AS offering,
       distance_km, certificates, buckets, scale_ok, grade_ok, distance_ok, capacity_ok,
       [c IN missing_certificates | c.authority] AS missing_authorities
ORDER BY f.id
"""


def _params(need: Need) -> dict[str, Any]:
    start, end = day_window(need.earliest_start, need.need_by)
    origin = (
        None
        if need.origin is None
        else {"latitude": need.origin[0], "longitude": need.origin[1], "crs": "WGS-84"}
    )
    return {
        "capability": need.capability,
        "requester": need.requester,
        "unit": need.unit,
        "quantity": need.quantity,
        "grades": GRADES_SERVING[need.gmp_grade],
        "authorities": [a.value for a in need.authorities],
        "origin": origin,
        "max_km": need.max_distance_km,
        "first_day": need.earliest_start,
        "last_day": need.need_by,
        "from": start,
        "to": end,
        "window_s": (end - start).total_seconds(),
    }


def _assessment(row: dict[str, Any], need: Need) -> Assessment:
    offering = row["offering"]
    free = [b["total"] - b["reserved"] for b in row["buckets"]]
    held = [h["id"] for c in row["certificates"] for h in c["held"][:1]]
    return Assessment(
        uscc=row["uscc"],
        offering_id=offering["id"],
        evidence=Evidence(
            row["capability"],
            offering["id"],
            row["site_id"],
            row["park"],
            tuple(held),
            tuple(b["id"] for b in row["buckets"]),
        ),
        failures=tuple(constraints.failures(row, need)),
        min_free=min(free) if free else None,
        distance_km=row["distance_km"],
    )


async def assess(tx: Tx, need: Need) -> list[Assessment]:
    """Candidates (no failure) and near-misses (one failure), in offering id order."""
    rows = await tx.records(ASSESS, **_params(need))
    return [_assessment(dict(r), need) for r in rows]
