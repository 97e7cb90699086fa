"""Cypher of the park network: each function is one query, batched over the whole scope.

A scope's organizations ("members") are those with `IN_PARK` to one of its parks or a
site `LOCATED_IN` one. Offerings count for a park when their site is located in it.
Engagements are requests `awarded` or `completed`, with the `AWARDED_TO` provider; their
value is the awarded match's quote. Periods are overlaps of whole days: a request's
window [earliest_start, need_by], a capacity bucket's [start, end).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, LiteralString

from hub.db.driver import Tx, native
from hub.network.coverage import ancestors
from hub.network.model import Engagement, Member, OfferingFact, Scope
from hub.reference.model import Taxonomy
from hub.registry.rules import CHINA

_ONE_DAY = timedelta(days=1)

# Every park an organization is in: by its own IN_PARK or one of its sites.
_PARKS_OF: LiteralString = """[(o)-[:IN_PARK]->(q:Park) | q.code]
    + [(o)-[:HAS_SITE]->(:Site)-[:LOCATED_IN]->(q:Park) | q.code]"""

_UNDER_BRANCH: LiteralString = (
    "($branch IS NULL OR EXISTS { (c)-[:BROADER*0..5]->(:Capability {code: $branch}) })"
)

MEMBERS: LiteralString = (
    """
MATCH (p:Park) WHERE p.code IN $parks
CALL (p) {
  MATCH (o:Organization)-[:IN_PARK]->(p) RETURN o
  UNION
  MATCH (o:Organization)-[:HAS_SITE]->(:Site)-[:LOCATED_IN]->(p) RETURN o
}
WITH DISTINCT o
WHERE coalesce(o.active, true) AND (size($kinds) = 0 OR o.kind IN $kinds)
RETURN o {.uscc, .name_zh, .name_en, .kind, parks: """
    + _PARKS_OF
    + """} AS org
ORDER BY o.uscc
"""
)

OFFERINGS: LiteralString = (
    """
MATCH (p:Park)<-[:LOCATED_IN]-(s:Site)-[:OFFERS]->(f:Offering)-[:OF]->(c:Capability)
WHERE p.code IN $parks AND coalesce(s.active, true) AND coalesce(f.active, true)
  AND """
    + _UNDER_BRANCH
    + """
MATCH (o:Organization)-[:HAS_SITE]->(s)
WHERE o.uscc IN $members
RETURN o.uscc AS uscc, p.code AS park, c.code AS capability,
       [(s)<-[:COVERS_SITE]-(cert:Certificate)-[:COVERS]->(k:Capability)
        WHERE coalesce(cert.active, true) AND cert.valid_from <= $today
          AND (cert.valid_to IS NULL OR cert.valid_to >= $today)
          AND EXISTS { (o)-[:HOLDS]->(cert) } | k.code] AS covered
ORDER BY uscc, park, capability
"""
)

ENGAGEMENTS: LiteralString = (
    """
MATCH (r:Request)-[:AWARDED_TO]->(prov:Organization)
WHERE r.status IN ['awarded', 'completed']
  AND ($start IS NULL OR r.need_by >= $start) AND ($end IS NULL OR r.earliest_start <= $end)
  AND ($confidential OR NOT coalesce(r.confidential, false))
MATCH (req:Organization)-[:REQUESTED]->(r)-[:NEEDS]->(c:Capability)
WHERE (req.uscc IN $members OR prov.uscc IN $members) AND """
    + _UNDER_BRANCH
    + """
WITH r, c, req, prov,
     [(m:Match)-[:FOR]->(r) WHERE m.status = 'awarded' AND m.uscc = prov.uscc
      | m.quote_price][0] AS value
WITH r, c, req, prov, value, req AS o
WITH r, c, req, prov, value, """
    + _PARKS_OF
    + """ AS req_parks, prov AS o
WITH r, c, req, prov, value, req_parks, """
    + _PARKS_OF
    + """ AS prov_parks
RETURN r.id AS id, c.code AS capability, coalesce(r.confidential, false) AS confidential,
       value, req {.uscc, .name_zh, .name_en, .kind} AS requester, req_parks,
       prov {.uscc, .name_zh, .name_en, .kind} AS provider, prov_parks
ORDER BY id
"""
)

# The scope's requests that routing sent to no member: `inside` would list members
# among the routed providers. Served = awarded elsewhere; distance from the requester's
# park (in scope) to the serving offering's site.
UNMET: LiteralString = (
    """
MATCH (req:Organization)-[:REQUESTED]->(r:Request)-[:NEEDS]->(c:Capability)
WHERE req.uscc IN $members AND r.status IN ['routed', 'unfilled', 'awarded', 'completed']
  AND ($start IS NULL OR r.need_by >= $start) AND ($end IS NULL OR r.earliest_start <= $end)
  AND """
    + _UNDER_BRANCH
    + """
  AND NOT EXISTS { MATCH (m:Match)-[:FOR]->(r) WHERE m.uscc IN $members }
OPTIONAL MATCH (r)-[:AWARDED_TO]->(prov:Organization)
WITH r, c, req, prov,
     [(win:Match {status: 'awarded'})-[:FOR]->(r) WHERE win.uscc = prov.uscc
      | [(win)-[:TO]->(:Offering)<-[:OFFERS]-(s:Site) | [s.lat, s.lon]][0]][0] AS site,
     prov AS o
RETURN r.id AS id, c.code AS capability, r.status AS status,
       coalesce(r.confidential, false) AS confidential, req.uscc AS requester,
       prov.uscc AS provider,
       CASE WHEN prov IS NULL THEN [] ELSE """
    + _PARKS_OF
    + """ END AS provider_parks, site
ORDER BY capability, id
"""
)

# Capacity of offerings at scope sites, summed per capability, unit and month of start.
CAPACITY: LiteralString = (
    """
MATCH (p:Park)<-[:LOCATED_IN]-(s:Site)-[:OFFERS]->(f:Offering)-[:OF]->(c:Capability)
WHERE p.code IN $parks AND """
    + _UNDER_BRANCH
    + """
MATCH (o:Organization)-[:HAS_SITE]->(s)
WHERE o.uscc IN $members
MATCH (f)-[:HAS_CAPACITY]->(b:CapacityBucket)
WHERE b.start >= $from AND b.start < $to
WITH DISTINCT o, c, b
WITH c, b, reduce(x = 0.0, q IN [(r:Request)-[h:RESERVES]->(b)
                                  WHERE r.requester <> o.uscc | h.quantity] | x + q) AS shared
RETURN c.code AS capability, b.unit AS unit,
       substring(toString(date(datetime({datetime: b.start, timezone: '+08:00'}))), 0, 7)
         AS month,
       sum(b.total) AS total, sum(b.reserved) AS reserved, sum(shared) AS shared
ORDER BY capability, unit, month
"""
)

# What the collaboration figures depend on: cheap to read, changes whenever they may.
FINGERPRINT: LiteralString = """
CALL () {
  MATCH (r:Request) WHERE r.status IN ['awarded', 'completed']
  RETURN count(r) AS engagements,
         toString(max(coalesce(r.completed_at, r.awarded_at, r.updated_at, r.created_at)))
           AS changed
}
CALL () {
  MATCH (o:Organization) RETURN count(o) AS organizations
}
CALL () {
  OPTIONAL MATCH (o:Organization) WHERE o.updated_at IS NOT NULL
  WITH o ORDER BY o.updated_at DESC LIMIT 1
  RETURN toString(o.updated_at) AS org_changed
}
CALL () {
  OPTIONAL MATCH (s:Site) WHERE s.updated_at IS NOT NULL
  WITH s ORDER BY s.updated_at DESC LIMIT 1
  RETURN toString(s.updated_at) AS site_changed
}
RETURN engagements, changed, organizations, org_changed, site_changed
"""

STORED_FIGURES: LiteralString = """
MATCH (f:NetworkFigures {key: $key}) WHERE f.fingerprint = $fingerprint
RETURN f.payload AS payload
"""

STORE_FIGURES: LiteralString = """
MERGE (f:NetworkFigures {key: $key})
SET f.fingerprint = $fingerprint, f.payload = $payload, f.computed_at = datetime()
"""


def _params(scope: Scope, members: list[str] | None = None) -> dict[str, Any]:
    return {
        "parks": list(scope.parks),
        "kinds": list(scope.kinds),
        "branch": scope.branch,
        "start": scope.start,
        "end": scope.end,
        "members": members or [],
        "confidential": scope.full_access,
    }


def _member(org: dict[str, Any], parks: list[str]) -> Member:
    return Member(
        uscc=org["uscc"],
        name_zh=org.get("name_zh") or org["uscc"],
        name_en=org.get("name_en") or org["uscc"],
        kind=org.get("kind") or "provider",
        parks=tuple(sorted(set(parks))),
    )


async def members(tx: Tx, scope: Scope) -> list[Member]:
    records = await tx.records(MEMBERS, **_params(scope))
    return [_member(r["org"], r["org"]["parks"]) for r in records]


def _certified(row: Any, taxonomy: Taxonomy) -> bool:
    """A valid certificate at the site covers the capability or a broader one."""
    covered = set(row["covered"])
    return bool(covered) and not covered.isdisjoint(ancestors(row["capability"], taxonomy))


async def offerings(
    tx: Tx, scope: Scope, member_ids: list[str], today: date, taxonomy: Taxonomy
) -> list[OfferingFact]:
    records = await tx.records(OFFERINGS, **_params(scope, member_ids), today=today)
    return [
        OfferingFact(r["uscc"], r["park"], r["capability"], _certified(r, taxonomy))
        for r in records
    ]


async def engagements(tx: Tx, scope: Scope, member_ids: list[str]) -> list[Engagement]:
    records = await tx.records(ENGAGEMENTS, **_params(scope, member_ids))
    return [
        Engagement(
            request_id=r["id"],
            requester=_member(r["requester"], r["req_parks"]),
            provider=_member(r["provider"], r["prov_parks"]),
            capability=r["capability"],
            value=None if r["value"] is None else float(r["value"]),
            confidential=r["confidential"],
        )
        for r in records
    ]


async def unmet(tx: Tx, scope: Scope, member_ids: list[str]) -> list[dict[str, Any]]:
    return [r.data() for r in await tx.records(UNMET, **_params(scope, member_ids))]


def _china_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=CHINA)


async def capacity(
    tx: Tx, scope: Scope, member_ids: list[str], start: date, end: date
) -> list[dict[str, Any]]:
    """Sums per capability, unit and month of the buckets starting in [start, end]."""
    params = _params(scope, member_ids)
    params.update(start=None, end=None)
    records = await tx.records(
        CAPACITY,
        **params,
        **{"from": _china_midnight(start), "to": _china_midnight(end) + _ONE_DAY},
    )
    return [r.data() for r in records]


async def fingerprint(tx: Tx) -> str:
    row = await tx.single(FINGERPRINT)
    assert row is not None
    return "/".join(str(native(row[k])) for k in row.keys())  # noqa: SIM118 (a Record)


async def stored_figures(tx: Tx, key: str, print_: str) -> str | None:
    row = await tx.single(STORED_FIGURES, key=key, fingerprint=print_)
    return None if row is None else str(row["payload"])


async def store_figures(tx: Tx, key: str, print_: str, payload: str) -> None:
    await tx.run(STORE_FIGURES, key=key, fingerprint=print_, payload=payload)
