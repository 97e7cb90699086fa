"""Matching: the offerings beneath the requested capability that fit the request, by the
one definition of fit (hub.fit.rules), read from the offerings' fit summaries.

- `candidates` (routing): the providers whose offerings fit, each with its best offering,
  scored (hub.routing.scoring), ranked and cut to k inside one query; only those k rows
  come back.
- `assess`: every offering failing at most one rule (`rules.FAILED`: in another unit, the
  unit alone), with the rule and the value that failed; `near_misses` (asked for
  separately, not on every route) keeps one per provider that is neither routed nor
  eligible.
- `check` (the award): which rules one offering fails now, the unit included.
The requester itself and retired organizations, sites and offerings are never considered.
"""

from __future__ import annotations

from typing import Any, LiteralString

from hub.db.driver import Tx
from hub.fit import rules
from hub.fit.terms import Terms
from hub.routing import constraints, scoring
from hub.routing.model import Assessment, Evidence, Failure, Need

CANDIDATES: LiteralString = (
    scoring.PARTNERS
    + "\nMATCH "
    + rules.PATH
    + "\nWHERE "
    + rules.LIVE
    + " AND o.uscc <> $requester AND NOT o.uscc IN $exclude AND "
    + rules.OWN
    + "\n"
    + rules.READ_SUMMARY
    + "\nWITH f, s, o, cap, fit, partners, "
    + rules.SUMMARY
    + "\nWHERE "
    + rules.SUMMED
    + "\nWITH o, partners, {f: f, s: s, cap: cap, fit: fit, distance_km: distance_km, min_free: "
    + rules.MIN_FREE
    + """,
             park: [(s)-[:LOCATED_IN]->(p:Park) | p.code][0]} AS offer
WITH o, partners, collect(offer) AS offers
WITH o, offers, """
    + scoring.RECORD
    + """
UNWIND offers AS offer
WITH o, offer, completed, on_time, rated, rating_sum, collaborated, routed, answered,
     offer.min_free AS min_free, offer.park AS park, offer.distance_km AS distance_km
WITH *, """
    + scoring.PARTS
    + """ AS parts
WITH *, """
    + scoring.TOTAL
    + """ AS total
ORDER BY total DESC, offer.f.id
WITH o, collect(offer {.*, parts: parts, total: total, completed: completed,
                       on_time: on_time, collaborated: collaborated, routed: routed,
                       answered: answered, rated: rated})[0] AS best
ORDER BY best.total DESC, best.f.id
LIMIT $limit
WITH o, best, best.f AS f, best.s AS s, best.fit AS fit
WITH o, best, f, s, fit, """
    + rules.SUMMARY
    + """
RETURN o.uscc AS uscc, f.id AS offering_id, best.cap.code AS capability, s.id AS site_id,
       best.park AS park, best.distance_km AS distance_km, best.min_free AS min_free,
       best.parts AS parts, best.completed AS completed, best.on_time AS on_time,
       best.collaborated AS collaborated, best.routed AS routed, best.answered AS answered,
       """
    + rules.QUALIFYING
    + " AS certificate_ids, "
    + rules.USED_BUCKETS
    + """ AS bucket_ids
"""
)

_ASSESSED: LiteralString = (
    rules.READ_SUMMARY
    + "\nWITH f, s, o, cap, fit, "
    + rules.SUMMARY
    + "\nWITH *, "
    + rules.ASSESS
    + "\n"
)

_EXPLAINED: LiteralString = (
    """o.uscc AS uscc, cap.code AS capability, s.id AS site_id,
       [(s)-[:LOCATED_IN]->(p:Park) | p.code][0] AS park,
       f {.id, .scale_min, .scale_max, .gmp_grade, .unit} AS offering,
       distance_km, unit_ok, scale_ok, grade_ok, distance_ok, capacity_ok, missing,
       """
    + rules.UNITS
    + """ AS units,
       EXISTS { (:Request {id: $request})<-[:FOR]-(:Match)-[:ROUTED_TO]->(o) } AS routed, """
    + rules.CLOSEST
    + " AS certificates, "
    + rules.SHORT
    + " AS short, "
    + rules.PUBLISHED
    + " AS published, "
    + rules.MIN_FREE
    + " AS min_free, "
    + rules.QUALIFYING
    + " AS certificate_ids, "
    + rules.USED_BUCKETS
    + " AS bucket_ids"
)

ASSESS: LiteralString = (
    "MATCH "
    + rules.PATH
    + "\nWHERE "
    + rules.LIVE
    + " AND o.uscc <> $requester\n"
    + _ASSESSED
    + "WITH *, "
    + rules.FAILED
    + """ AS failed
WHERE failed <= 1
RETURN """
    + _EXPLAINED
    + "\nORDER BY f.id\n"
)

CHECK: LiteralString = (
    "MATCH "
    + rules.PATH
    + "\nWHERE f.id = $offering AND "
    + rules.LIVE
    + " AND o.uscc <> $requester\n"
    + _ASSESSED
    + "RETURN "
    + _EXPLAINED
)


def terms(need: Need) -> Terms:
    """The request's hard constraints as fit terms: the quantity is both within the scale
    and free in every period."""
    return Terms(
        capability=need.capability,
        unit=need.unit,
        quantity=need.quantity,
        spare=need.quantity,
        grade=need.gmp_grade,
        authorities=need.authorities,
        first_day=need.earliest_start,
        last_day=need.need_by,
        origin=need.origin,
        max_km=need.max_distance_km,
    )


def _params(need: Need, request_id: str | None = None) -> dict[str, Any]:
    return {**terms(need).params(), "requester": need.requester, "request": request_id}


def _evidence(row: dict[str, Any], offering_id: str) -> Evidence:
    return Evidence(
        row["capability"],
        offering_id,
        row["site_id"],
        row["park"],
        tuple(c for c in row["certificate_ids"] if c is not None),
        tuple(row["bucket_ids"]),
    )


def _assessment(row: dict[str, Any], need: Need) -> Assessment:
    offering_id = row["offering"]["id"]
    return Assessment(
        uscc=row["uscc"],
        offering_id=offering_id,
        evidence=_evidence(row, offering_id),
        failures=tuple(constraints.failures(row, need)),
        min_free=row["min_free"],
        distance_km=row["distance_km"],
    )


async def assess(tx: Tx, need: Need) -> list[Assessment]:
    """Candidates (no failure) and near-misses (one failure), in offering id order."""
    rows = await tx.records(ASSESS, **_params(need))
    return [_assessment(dict(r), need) for r in rows]


async def near_misses(tx: Tx, need: Need, request_id: str) -> list[Assessment]:
    """Providers that fail exactly one rule, once each with their best offering (the
    first by offering id among those failing one rule). A provider this request was
    routed to, or with an offering that fits, is never a near-miss; so the request's
    own reservation (held by its winner) never counts against one."""
    rows = [dict(r) for r in await tx.records(ASSESS, **_params(need, request_id))]
    out = {r["uscc"] for r in rows if r["routed"]}
    out |= {r["uscc"] for r in rows if not any(constraints.failures(r, need))}
    best: dict[str, Assessment] = {}
    for row in rows:
        if row["uscc"] not in out and row["uscc"] not in best:
            best[row["uscc"]] = _assessment(row, need)
    return list(best.values())


async def candidates(tx: Tx, need: Need, exclude: set[str], limit: int) -> list[Assessment]:
    """The best `limit` providers not in `exclude` (USCCs), each with its best offering,
    scored, best first (score, then offering id)."""
    rows = await tx.records(
        CANDIDATES,
        **_params(need),
        **scoring.params(need),
        exclude=sorted(exclude),
        limit=limit,
    )
    return [
        Assessment(
            r["uscc"],
            r["offering_id"],
            _evidence(dict(r), r["offering_id"]),
            (),
            r["min_free"],
            r["distance_km"],
            scoring.score(dict(r), need),
        )
        for r in rows
    ]


async def check(tx: Tx, need: Need, offering_id: str) -> list[Failure] | None:
    """The rules the offering fails for this request now (empty: it fits; another unit is
    a failure), or None when it is no longer offered beneath the requested capability."""
    row = await tx.single(CHECK, **_params(need), offering=offering_id)
    return None if row is None else list(constraints.failures(dict(row), need))
