"""The rules of fit, each written once as a Cypher expression.

An offering fits what is asked when:
- capability: its capability is the asked code or beneath it (`PATH`);
- unit: it is offered in the asked unit (when one is asked). Its capability may be
  measured in another unit than the asked one (a node beneath it with a unit of its own):
  then its scale and capacity are numbers in that other unit, which say nothing about the
  asked quantity, so they count neither as failed nor as passed (`FAILED`). Such an
  offering never fits (no search result, candidate or award), and fails exactly one rule,
  the unit, when it passes those that do not depend on it (grade, certificates,
  distance): a near-miss "offered in vials per hour, asked in bioreactor litre-batches";
- scale: scale_min ≤ quantity ≤ scale_max;
- grade: its GMP grade serves the asked one (GmpGrade.serves);
- certificates: for each asked authority, an active certificate of its holder covers its
  site and its capability (or a broader one) and is valid over the whole window, from the
  first day to the last;
- capacity: every instant of the window [first day 00:00, last day + 1 00:00) China time
  lies in some capacity bucket, and every bucket overlapping the window has at least the
  spare quantity free (total − reserved);
- distance: the site is within max_km of the origin (when asked).
The requester itself, retired organizations, sites and offerings, and organizations not
yet verified never fit (`LIVE`).

The expressions read the offering's summary (hub.fit.summary), bound as lists by
`SUMMARY` after `OPTIONAL MATCH (f)-[:HAS_FIT]->(fit:Fit)`, never its bucket or
certificate nodes. Offering search, matching and the award check all use them:
`FITS` in a WHERE (or `OWN` first, then `SUMMED` once the summary is read), `ASSESS` to
say which rule failed and `FAILED` to count them.
"""

from __future__ import annotations

from typing import LiteralString

from hub.registry.standing import PUBLIC

# The offerings beneath the asked capability, then who offers each where: one path, or
# in two steps (an offering's own rules can be checked, and a page ordered, in between).
OFFERED: LiteralString = """(:Capability {code: $capability})<-[:BROADER*0..5]-(cap:Capability)
      <-[:OF]-(f:Offering)"""
PROVIDED: LiteralString = "(f)<-[:OFFERS]-(s:Site)<-[:HAS_SITE]-(o:Organization)"
PATH: LiteralString = OFFERED + "<-[:OFFERS]-(s:Site)<-[:HAS_SITE]-(o:Organization)"

# A pending or rejected organization is not public (hub.registry.standing), so never fits.
LIVE: LiteralString = "(f.active AND s.active AND " + PUBLIC + ")"

READ_SUMMARY: LiteralString = "OPTIONAL MATCH (f)-[:HAS_FIT]->(fit:Fit)"

# Only what the asked rules read: no certificate lists without authorities, no bucket
# lists without a spare quantity (reading them is most of a candidate's cost).
SUMMARY: LiteralString = """
     CASE WHEN $spare IS NULL THEN [] ELSE coalesce(fit.bucket_start, []) END AS bucket_start,
     CASE WHEN $spare IS NULL THEN [] ELSE coalesce(fit.bucket_end, []) END AS bucket_end,
     CASE WHEN $spare IS NULL THEN [] ELSE coalesce(fit.bucket_free, []) END AS bucket_free,
     CASE WHEN $spare IS NULL THEN [] ELSE coalesce(fit.cover_start, []) END AS cover_start,
     CASE WHEN $spare IS NULL THEN [] ELSE coalesce(fit.cover_end, []) END AS cover_end,
     CASE WHEN size($authorities) = 0 THEN []
          ELSE coalesce(fit.cert_authority, []) END AS cert_authority,
     CASE WHEN size($authorities) = 0 THEN [] ELSE coalesce(fit.cert_from, []) END AS cert_from,
     CASE WHEN size($authorities) = 0 THEN [] ELSE coalesce(fit.cert_to, []) END AS cert_to,
     CASE WHEN $origin IS NULL THEN null
          ELSE point.distance(s.location, point($origin)) / 1000.0 END AS distance_km"""

UNIT: LiteralString = "($unit IS NULL OR f.unit = $unit)"

SCALE: LiteralString = (
    "($quantity IS NULL OR (f.scale_min <= $quantity AND $quantity <= f.scale_max))"
)

GRADE: LiteralString = "($grades IS NULL OR f.gmp_grade IN $grades)"

DISTANCE: LiteralString = "($max_km IS NULL OR distance_km <= $max_km)"

# Certificate i (of the summary) is of authority `a` and valid over the whole window.
_VALID: LiteralString = (
    "cert_authority[i] = a AND cert_from[i] <= $first_day AND cert_to[i] >= $last_day"
)
HELD: LiteralString = "any(i IN range(0, size(cert_authority) - 1) WHERE " + _VALID + ")"

CERTIFICATES: LiteralString = "all(a IN $authorities WHERE " + HELD + ")"

MISSING: LiteralString = "[a IN $authorities WHERE NOT coalesce(" + HELD + ", false)]"

# Bucket i overlaps the window.
OVERLAPS: LiteralString = "(bucket_start[i] < $to_s AND bucket_end[i] > $from_s)"
_BUCKETS: LiteralString = "i IN range(0, size(bucket_start) - 1)"

COVERED: LiteralString = """any(i IN range(0, size(cover_start) - 1)
       WHERE cover_start[i] <= $from_s AND cover_end[i] >= $to_s)"""

ENOUGH_FREE: LiteralString = (
    "all(" + _BUCKETS + " WHERE NOT " + OVERLAPS + " OR bucket_free[i] >= $spare)"
)

CAPACITY: LiteralString = "($spare IS NULL OR (" + COVERED + " AND " + ENOUGH_FREE + "))"

# The rules on the offering's own properties, to check before its summary is read.
OWN: LiteralString = UNIT + " AND " + SCALE + " AND " + GRADE

# The rules on its summary and its site.
SUMMED: LiteralString = DISTANCE + " AND " + CERTIFICATES + " AND " + CAPACITY

FITS: LiteralString = OWN + " AND " + SUMMED

MIN_FREE: LiteralString = (
    "reduce(least = null, "
    + _BUCKETS
    + " | CASE WHEN NOT "
    + OVERLAPS
    + """ THEN least
       WHEN least IS NULL OR bucket_free[i] < least THEN bucket_free[i] ELSE least END)"""
)

# What explains a failure: the first short bucket, whether any bucket overlaps, and per
# missing authority the certificate closest to qualifying (latest expiry first).
SHORT: LiteralString = (
    "[" + _BUCKETS + " WHERE " + OVERLAPS + " AND bucket_free[i] < $spare"
    " | {start: bucket_start[i], free: bucket_free[i]}][0]"
)
PUBLISHED: LiteralString = "any(" + _BUCKETS + " WHERE " + OVERLAPS + ")"
CLOSEST: LiteralString = """[a IN missing | {authority: a,
       held: [i IN range(0, size(cert_authority) - 1) WHERE cert_authority[i] = a
              | {id: fit.cert_ids[i], valid_from: cert_from[i], valid_to: cert_to[i]}][..1]}]"""

# Evidence of a fit: per authority the certificate that qualifies, and the buckets used.
QUALIFYING: LiteralString = (
    "[a IN $authorities | [i IN range(0, size(cert_authority) - 1) WHERE "
    + _VALID
    + " | fit.cert_ids[i]][0]]"
)
USED_BUCKETS: LiteralString = "[" + _BUCKETS + " WHERE " + OVERLAPS + " | fit.bucket_ids[i]]"

# Each rule on its own (same expressions as FITS), for near-misses and the award check.
ASSESS: LiteralString = (
    UNIT
    + " AS unit_ok, "
    + SCALE
    + " AS scale_ok, "
    + GRADE
    + " AS grade_ok, "
    + DISTANCE
    + " AS distance_ok, "
    + MISSING
    + " AS missing, "
    + CAPACITY
    + " AS capacity_ok"
)

# How many rules an assessed offering fails. In another unit its scale and capacity are not
# compared (they are in that unit): the unit's failure stands for them. Not true = failed.
FAILED: LiteralString = """size(missing) + CASE WHEN grade_ok THEN 0 ELSE 1 END
       + CASE WHEN distance_ok THEN 0 ELSE 1 END
       + CASE WHEN unit_ok
              THEN CASE WHEN scale_ok THEN 0 ELSE 1 END + CASE WHEN capacity_ok THEN 0 ELSE 1 END
              ELSE 1 END"""

# What explains a unit failure: both units with their names (null when the unit is right).
UNITS: LiteralString = """CASE WHEN unit_ok THEN null ELSE {
       asked: COLLECT { MATCH (u:Unit {code: $unit}) RETURN u {.name_zh, .name_en} }[0],
       offered: COLLECT { MATCH (u:Unit {code: f.unit}) RETURN u {.name_zh, .name_en} }[0]}
       END"""
